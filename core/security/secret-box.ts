import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JwtKey } from './config';

/**
 * Account secrets at rest with the ACCOUNT_KEYS ring (newest first): AES-256-GCM
 * for values that must be read back (TOTP secrets), keyed HMAC-SHA256 for codes
 * that are only compared (reset and recovery codes). Each output names the key
 * it was made with, so old values stay readable after a new key is put first.
 */
export type KeyRing = readonly JwtKey[];

/**
 * Which secrets a derived key protects (HKDF salt): values sealed for one domain never open
 * under another, though one ring serves both. 'accounts' is the original (TOTP, codes);
 * 'pii' seals students' personal data (ID-proof numbers, docs/flows/files.md).
 */
export type SealDomain = 'accounts' | 'pii';

const derived = new Map<string, Buffer>();
/** Separate 256-bit keys per purpose from one ring secret (HKDF-SHA256). */
function subkey(key: JwtKey, purpose: 'encrypt' | 'hash', domain: SealDomain = 'accounts'): Buffer {
  const id = `${domain}\n${purpose}\n${key.kid}\n${key.secret}`;
  let k = derived.get(id);
  if (!k) derived.set(id, (k = Buffer.from(hkdfSync('sha256', key.secret, `studyspot-${domain}`, purpose, 32))));
  return k;
}

function keyById(ring: KeyRing, kid: string): JwtKey {
  const key = ring.find((k) => k.kid === kid);
  if (!key) throw new Error(`account key ${kid} is not in ACCOUNT_KEYS`);
  return key;
}

/** The key id a sealed value names (rotation: values not under the newest key can be re-sealed). */
export const sealedKid = (sealed: string): string | undefined => (sealed.startsWith('v1.') ? sealed.split('.')[1] : undefined);

/** `v1.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts). */
export function seal(ring: KeyRing, plain: Buffer, domain: SealDomain = 'accounts'): string {
  const key = ring[0];
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(key, 'encrypt', domain), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ['v1', key.kid, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Throws when the value was tampered with or its key is gone from the ring. */
export function open(ring: KeyRing, sealed: string, domain: SealDomain = 'accounts'): Buffer {
  const [v, kid, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !kid || !iv || !tag || body === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', subkey(keyById(ring, kid), 'encrypt', domain), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}

/** Stored form of a code: `<kid>.<hex hmac>`; `context` binds it to its owner (a code of one user never matches another's). */
export function keyedHash(ring: KeyRing, context: string, code: string): string {
  const key = ring[0];
  return `${key.kid}.${hmac(key, context, code)}`;
}

export function matchesKeyedHash(ring: KeyRing, stored: string, context: string, code: string): boolean {
  const i = stored.indexOf('.');
  const key = ring.find((k) => k.kid === stored.slice(0, i));
  if (!key) return false;
  const a = Buffer.from(stored.slice(i + 1), 'hex');
  const b = Buffer.from(hmac(key, context, code), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const hmac = (key: JwtKey, context: string, code: string) => createHmac('sha256', subkey(key, 'hash')).update(`${context}\n${code}`).digest('hex');
