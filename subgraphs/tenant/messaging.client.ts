import { signAccessToken } from '../../core/auth/tokens';
import type { TenantContext } from './context';
import { callSubgraph } from '../../core/internal';
import { SERVICE_ROLE } from '../../core/permissions/catalog';
import type { TenantRecord } from '../../core/tenancy/registry';

/** Internal API of the messaging subgraph: the platform's own e-mail to an account holder. */
const SEND_MAIL = 'mutation($i: PlatformMailInput!) { sendPlatformMail(input: $i) }';

/** Long enough for one email; minted per send. */
const SERVICE_TOKEN_TTL_SECONDS = 60;

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
  const scope = tenant ? { tid: tenant._id.toHexString(), tsl: tenant.slug } : {};
  const token = signAccessToken({ sub: 'service:tenant', role: SERVICE_ROLE, ...scope }, ctx.config.security.jwtKeys, SERVICE_TOKEN_TTL_SECONDS);
  const asService: TenantContext = { ...ctx, forward: { 'x-request-id': ctx.requestId, authorization: `Bearer ${token}` } };
  await callSubgraph(asService, 'messaging', SEND_MAIL, { i: input });
}
