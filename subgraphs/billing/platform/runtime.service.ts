import type { BillingDeps, BillingServices } from '../context';

export type { BillingRuntime } from '../context';

export function billingDeps(services: Readonly<BillingServices>): BillingDeps {
  const deps = services.runtime.deps;
  if (!deps) throw new Error('billing runtime is not started');
  return deps;
}
