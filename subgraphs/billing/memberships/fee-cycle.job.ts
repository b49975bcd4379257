import type { ContextDeps } from '../../../core/context';
import { tenantRegistry, type TenantRecord } from '../../../core/tenancy/registry';
import { runFeeCycle } from './fee-cycle';

/** Every active tenant, one after the other; a failing tenant does not stop the others. */
async function cycleAllTenants(deps: ContextDeps, now: () => Date, stopped: () => boolean): Promise<void> {
  const tenants = tenantRegistry(deps.db.platform()).find({ status: 'active' }, { _id: 1, slug: 1, dbName: 1 }).lean<TenantRecord[]>().cursor();
  for await (const t of tenants) {
    if (stopped()) break;
    try {
      const report = await runFeeCycle(deps.db.tenant(t.dbName), now());
      deps.log.info({ tenant: t.slug, ...report }, 'fee cycle ran');
    } catch (err) {
      deps.log.error({ err, tenant: t.slug }, 'fee cycle failed');
    }
  }
}

/**
 * The periodic fee cycle (every `intervalMs`). Runs never overlap here, and a
 * run on another instance at the same time is harmless: every step is keyed.
 */
export function startFeeCycleJob(deps: ContextDeps, now: () => Date, intervalMs: number): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = cycleAllTenants(deps, now, () => stopped)
      .catch((err: unknown) => deps.log.error({ err }, 'fee cycle job failed'))
      .finally(() => { running = null; });
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
