import { loadServiceEnv } from '../../../core/config';
import { createContext } from '../../../core/context';
import { usePeriodicJob } from '../../../core/jobs/periodic';
import type { TenantDeps } from '../context';
import { tenantEnv } from '../tenant.env';
import { rollupTenantSnapshots } from './tenant-snapshot.service';

/** The platform totals' per-tenant snapshots, refreshed every PLATFORM_ROLLUP_INTERVAL_MS (0 = off); instances split the work (fresh snapshots are skipped). */
export function startTenantSnapshots(deps: TenantDeps): () => Promise<void> {
  const { PLATFORM_ROLLUP_INTERVAL_MS } = loadServiceEnv(tenantEnv);
  if (PLATFORM_ROLLUP_INTERVAL_MS === 0) return async () => {};
  return usePeriodicJob({
    name: 'platform totals rollup',
    intervalMs: PLATFORM_ROLLUP_INTERVAL_MS,
    log: deps.log,
    run: (stopped) => rollupTenantSnapshots(createContext(deps, {}), PLATFORM_ROLLUP_INTERVAL_MS / 2, stopped).then(() => undefined),
  });
}
