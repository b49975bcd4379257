import type { ServiceConfig } from '../../../core/config';
import type { SaasSettings } from '../billing.env';
import { keyedHash, matchesKeyedHash } from '../../../core/security/secret-box';
import { DAY_MS } from './plan-catalog.service';

/** What a pay link grants: opening the checkout of ONE invoice of ONE tenant, until `expiresAt`. */
export interface PayLink {
  tenantId: string;
  invoiceId: string;
  expiresAt: Date;
}

const CONTEXT = 'saas-pay-link';
const HEX24 = /^[0-9a-f]{24}$/;

/**
 * `<payload>.<kid>.<hmac>`: the payload (tenant, invoice, expiry) in base64url,
 * signed with the ACCOUNT_KEYS ring (keyed HMAC-SHA256, purpose-bound), so a
 * rotated key still verifies links already mailed. Changing any part of it
 * (another invoice, another tenant, a later expiry) breaks the signature.
 */
export function signPayLink(
  config: ServiceConfig,
  saas: SaasSettings,
  link: { tenantId: string; invoiceId: string },
  issuedAt: Date,
): { token: string; url: string; expiresAt: Date } {
  const expiresAt = new Date(issuedAt.getTime() + saas.payLinkTtlDays * DAY_MS);
  const payload = Buffer.from(`${link.tenantId}:${link.invoiceId}:${Math.floor(expiresAt.getTime() / 1000)}`).toString('base64url');
  const token = `${payload}.${keyedHash(config.security.accountKeys, CONTEXT, payload)}`;
  return { token, url: `${saas.payLinkBaseUrl}/pay/${token}`, expiresAt };
}

/** The link's grant, or why not: 'invalid' (malformed, tampered, unknown key) or 'expired' (checked after the signature). */
export function verifyPayLink(config: ServiceConfig, token: string, at: Date): PayLink | 'invalid' | 'expired' {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 300) return 'invalid';
  const payload = token.slice(0, dot);
  if (!matchesKeyedHash(config.security.accountKeys, token.slice(dot + 1), CONTEXT, payload)) return 'invalid';
  const [tenantId, invoiceId, exp] = Buffer.from(payload, 'base64url').toString().split(':');
  if (!HEX24.test(tenantId ?? '') || !HEX24.test(invoiceId ?? '') || !/^\d+$/.test(exp ?? '')) return 'invalid';
  const expiresAt = new Date(Number(exp) * 1000);
  return at.getTime() > expiresAt.getTime() ? 'expired' : { tenantId, invoiceId, expiresAt };
}
