import type { ContextDeps } from '../../../core/context';

/** Set by billing's onStart before any request is served: what webhook-free paths (verify, cycle) need to act as the service. */
export interface BillingRuntime {
  deps?: ContextDeps;
}

export function billingDeps(services: Readonly<Record<string, unknown>>): ContextDeps {
  const deps = (services.runtime as BillingRuntime | undefined)?.deps;
  if (!deps) throw new Error('billing runtime is not started');
  return deps;
}
