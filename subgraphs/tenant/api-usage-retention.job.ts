import { trusted } from 'mongoose';
import { loadServiceEnv } from '../../core/config';
import type { ContextDeps } from '../../core/context';
import { forEachTenant, usePeriodicJob } from '../../core/jobs/periodic';
import { DAY_MS, istDay } from '../../core/tenant-time';
import { apiUsageChainModel, apiUsageCountedModel, apiUsageDailyModel, tenantApiUsageChainModel, tenantApiUsageDailyModel } from './api-usage.model';
import { apiKeyUseModel } from './apikey.model';
import { tenantEnv } from './tenant.env';

/**
 * Retention of partner API usage, like the audit log's (audit-retention.job.ts) but as a
 * sweep only (FerretDB has no TTL indexes): raw entries and their count markers older
 * than API_USAGE_RETENTION_DAYS with the chain entries behind the aggregates, the daily
 * aggregates themselves (tenant and platform) after API_USAGE_DAILY_RETENTION_DAYS. Deletes by age only, so several instances may run it.
 */
export function startApiUsageRetention(deps: ContextDeps): () => Promise<void> {
  const env = loadServiceEnv(tenantEnv);
  if (env.API_USAGE_SWEEP_INTERVAL_MS === 0) return async () => {};
  return usePeriodicJob({
    name: 'api usage retention',
    intervalMs: env.API_USAGE_SWEEP_INTERVAL_MS,
    log: deps.log,
    run: (stopped) => sweepApiUsage(deps, env.API_USAGE_RETENTION_DAYS, env.API_USAGE_DAILY_RETENTION_DAYS, stopped, env.API_USAGE_SWEEP_INTERVAL_MS / 2),
  });
}

/** `spreadMs`: the pass over the tenants takes about that long (the job spreads it over half its interval). */
export async function sweepApiUsage(deps: ContextDeps, rawDays: number, dailyDays: number, stopped: () => boolean = () => false, spreadMs = 0): Promise<void> {
  const rawBefore = trusted({ $lt: new Date(Date.now() - rawDays * DAY_MS) });
  // Days are tenant-local strings: a day is dropped once all of it is older than the window.
  const dayBefore = trusted({ $lt: istDay(new Date(Date.now() - dailyDays * DAY_MS)) });
  // The chains behind the aggregates go with the raw log (never today's or yesterday's: they may still grow).
  const chainBefore = trusted({ $lt: istDay(new Date(Date.now() - Math.max(rawDays, 2) * DAY_MS)) });
  await tenantApiUsageDailyModel(deps.db.platform()).deleteMany({ day: dayBefore });
  await tenantApiUsageChainModel(deps.db.platform()).deleteMany({ day: chainBefore });
  await forEachTenant(
    deps,
    'api usage retention',
    stopped,
    async (_t, conn) => {
      await apiKeyUseModel(conn).deleteMany({ at: rawBefore });
      await apiUsageCountedModel(conn).deleteMany({ at: rawBefore });
      await apiUsageChainModel(conn).deleteMany({ day: chainBefore });
      await apiUsageDailyModel(conn).deleteMany({ day: dayBefore });
    },
    { spreadMs },
  );
}
