import { loadServiceEnv } from '../../../core/config';
import { createContext } from '../../../core/context';
import { usePeriodicJob } from '../../../core/jobs/periodic';
import type { TenantDeps } from '../context';
import { tenantEnv } from '../tenant.env';
import { sendTaskReminders } from './lead-reminder.service';

/** Due follow-ups of the sales desk mailed to their assignees every CRM_REMINDER_INTERVAL_MS (0 = off); safe on several instances (claims per task). */
export function startLeadReminders(deps: TenantDeps): () => Promise<void> {
  const { CRM_REMINDER_INTERVAL_MS } = loadServiceEnv(tenantEnv);
  if (CRM_REMINDER_INTERVAL_MS === 0) return async () => {};
  return usePeriodicJob({
    name: 'crm task reminders',
    intervalMs: CRM_REMINDER_INTERVAL_MS,
    log: deps.log,
    run: (stopped) => sendTaskReminders(createContext(deps, {}), new Date(), stopped).then(() => undefined),
  });
}
