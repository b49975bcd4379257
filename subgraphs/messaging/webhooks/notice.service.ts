import type { Connection } from 'mongoose';
import type { PubSub } from '../../../core/pubsub';
import { createNotification } from '../notification.service';
import { DisabledReason, type WebhookEndpointDoc } from './endpoint.model';

const WHY: Record<DisabledReason, string> = {
  [DisabledReason.MANUAL]: 'it was disabled',
  [DisabledReason.FAILING]: 'every delivery attempt failed for a sustained period',
  [DisabledReason.GONE]: 'the receiver answered 410 Gone',
  [DisabledReason.KEY_REVOKED]: 'the API key that owns it was revoked',
};

/**
 * The tenant's staff notification (tenant-wide, read by owners) when an endpoint is disabled
 * automatically; one per disable (sourceKey names the endpoint and its status move). Names the
 * host only: a URL's path or query may carry the receiver's own tokens.
 */
export const disabledNotifier =
  (conn: Connection, publish: PubSub['publish'], tenantId: string) =>
  async (ep: WebhookEndpointDoc, reason: DisabledReason, seq: number): Promise<void> => {
    const host = new URL(ep.url).host;
    await createNotification(conn, publish, tenantId, {
      type: 'WEBHOOK_DISABLED',
      title: 'Webhook endpoint disabled',
      body: `Deliveries to ${host} stopped: ${WHY[reason]}. Fix the receiver, then enable the endpoint again (pending events can be replayed).`,
      sourceKey: `webhook-disabled:${ep._id.toHexString()}:${seq}`,
    });
  };
