import { trusted, type Connection } from 'mongoose';
import { useDueMarks } from '../../../core/jobs/due-marks';
import type { MessagingDeps } from '../context';
import { DeliveryStatus, webhookDeliveryModel, type WebhookDeliveryDoc } from './delivery.model';

/** Platform collection of the tenants with webhook deliveries due (messaging owns it). */
export const WEBHOOK_DUE_COLLECTION = 'webhook_due';

/** Which tenants have deliveries due: marked on enqueue, settled by the worker after each pass. */
export const webhookDueMarks = (deps: Pick<MessagingDeps, 'db'>) => useDueMarks({ platform: () => deps.db.platform(), collection: WEBHOOK_DUE_COLLECTION });

/** When the tenant's next pending delivery is due (its retry, or a lease that may run out), or null. */
export async function nextDeliveryDue(conn: Connection): Promise<Date | null> {
  const next = await webhookDeliveryModel(conn)
    .findOne({ status: DeliveryStatus.PENDING, nextAttemptAt: trusted({ $ne: null }) }, { nextAttemptAt: 1 })
    .sort({ nextAttemptAt: 1 })
    .lean<Pick<WebhookDeliveryDoc, 'nextAttemptAt'>>();
  return next?.nextAttemptAt ?? null;
}
