import { signAccessToken } from '../../core/auth/tokens';
import type { RequestContext } from '../../core/context';
import { callSubgraph } from '../../core/internal';
import { SERVICE_ROLE } from '../../core/permissions/catalog';
import type { TenantRecord } from '../../core/tenancy/registry';

/** Internal API of the messaging subgraph. */
const SEND_CODE = 'mutation($i: AccountCodeInput!) { sendAccountCode(input: $i) }';

/** Long enough for one email; minted per send. */
const SERVICE_TOKEN_TTL_SECONDS = 60;

/**
 * Emails a one-time account code. The caller of a reset request is anonymous, so
 * the call carries a service token of this service (role `service`, the user's
 * tenant or none for platform users) instead of a caller's token.
 */
export async function sendAccountCode(
  ctx: RequestContext,
  tenant: TenantRecord | null,
  input: { to: string; code: string; purpose: 'password_reset'; expiresInMinutes: number },
): Promise<void> {
  const scope = tenant ? { tid: tenant._id.toHexString(), tsl: tenant.slug } : {};
  const token = signAccessToken({ sub: 'service:tenant', role: SERVICE_ROLE, ...scope }, ctx.config.security.jwtKeys, SERVICE_TOKEN_TTL_SECONDS);
  const asService: RequestContext = { ...ctx, forward: { 'x-request-id': ctx.requestId, authorization: `Bearer ${token}` } };
  await callSubgraph(asService, 'messaging', SEND_CODE, { i: input });
}
