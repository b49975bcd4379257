import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { open, seal, type KeyRing } from '../../../core/security/secret-box';
import type { EndpointSecret } from './endpoint.model';

/** A new signing secret in the Standard Webhooks format: `whsec_` + base64 of 24 random bytes. */
export const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export const sealSecret = (ring: KeyRing, secret: string, now: Date): EndpointSecret => ({
  sealed: seal(ring, Buffer.from(secret, 'utf8')),
  createdAt: now,
  expiresAt: null,
});

/** The secrets that sign at `at`: the current one and any rotated-out one still in its overlap. */
export const liveSecrets = (ring: KeyRing, secrets: readonly EndpointSecret[], at: Date): string[] =>
  secrets.filter((s) => !s.expiresAt || s.expiresAt > at).map((s) => open(ring, s.sealed).toString('utf8'));

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (stable across retries),
 * `webhook-timestamp` (this attempt, seconds), `webhook-signature` (one `v1,<sig>` per live
 * secret, space-separated: a receiver holding either secret verifies during a rotation).
 */
export function signedHeaders(id: string, body: string, secrets: readonly string[], at: Date): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' '),
  };
}
