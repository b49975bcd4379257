import { loadServiceEnv } from '../../core/config';
import { emitterOf } from '../../core/events/outbox';
import { usePeriodicJob } from '../../core/jobs/periodic';
import type { TenantDeps } from './context';
import { announceExpiringKeys } from './apikey-expiry.service';
import { tenantEnv } from './tenant.env';

/** Partner API keys about to expire, announced every APIKEY_EXPIRY_INTERVAL_MS (0 = off); safe on several instances (keyed events). */
export function startApiKeyExpiryNotices(deps: TenantDeps): () => Promise<void> {
  const { APIKEY_EXPIRY_INTERVAL_MS: intervalMs, APIKEY_EXPIRY_NOTICE_DAYS: days } = loadServiceEnv(tenantEnv);
  if (intervalMs === 0) return async () => {};
  const emit = emitterOf(deps);
  return usePeriodicJob({
    name: 'api key expiry notices',
    intervalMs,
    log: deps.log,
    run: async () => {
      const announced = await announceExpiringKeys(deps, emit, new Date(), days);
      if (announced) deps.log.info({ announced }, 'expiring API keys announced');
    },
  });
}
