import type { TenantContext } from './context';
import { callSubgraph } from '../../core/internal';
import type { TenantRecord } from '../../core/tenancy/registry';
import { asService } from './peers.client';

/** Internal API of the messaging subgraph: the platform's own e-mail to an account holder. */
const SEND_MAIL = 'mutation($i: PlatformMailInput!) { sendPlatformMail(input: $i) }';

export type PlatformMail =
  | { to: string; passwordReset: { code: string; expiresInMinutes: number } }
  | {
      to: string;
      saasDunning: { step: string; accountName: string; invoiceNumber: string; amountDue: number; dueAt: string; graceEndsAt: string; payUrl: string };
    }
  | { to: string; crmTaskReminder: { assigneeName: string; taskTitle: string; leadName: string; dueAt: string } };

/**
 * Sends one platform e-mail. The caller may be anonymous (a reset request) or no
 * request at all (an event), so the call carries a service token of this service
 * (role `service`; scoped to `tenant` when given, so messaging can name it).
 */
export async function sendPlatformMail(ctx: TenantContext, tenant: TenantRecord | null, input: PlatformMail): Promise<void> {
  await callSubgraph(asService(ctx, tenant), 'messaging', SEND_MAIL, { i: input });
}
