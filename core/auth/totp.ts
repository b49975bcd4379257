import { HOTP, Secret, TOTP } from 'otpauth';

/**
 * RFC 6238 time-based one-time passwords (HOTP of RFC 4226 over 30 s steps),
 * SHA-1 and 6 digits: what every authenticator app accepts by default. HOTP, TOTP
 * and base32 come from the `otpauth` library; this module keeps the callers' API
 * and the choices that are ours: the drift window, the step a code matched (the
 * caller refuses a step already used: replay protection), and the Key URI format.
 * The RFC test vectors run against it in tests/accounts-totp.test.ts.
 */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha512';
const ALGORITHMS: Record<HashAlgorithm, string> = { sha1: 'SHA1', sha256: 'SHA256', sha512: 'SHA512' };

/** The library's secret for our bytes (copied: a Buffer may share a larger pool). */
const secretOf = (buf: Buffer): Secret => new Secret({ buffer: new Uint8Array(buf).buffer });

export const base32Encode = (buf: Buffer): string => secretOf(buf).base32;

/** Decodes RFC 4648 base32 (case, spaces and padding tolerated); throws on other characters. */
export function base32Decode(text: string): Buffer {
  try {
    return Buffer.from(Secret.fromBase32(text.replace(/\s/g, '')).bytes);
  } catch {
    throw new Error('invalid base32');
  }
}

/** A new 160-bit secret (RFC 4226 recommends at least 160 bits). */
export const newTotpSecret = (): Buffer => Buffer.from(new Secret({ size: 20 }).bytes);

/** HOTP value for `counter` (RFC 4226 §5.3 dynamic truncation). */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: HashAlgorithm = 'sha1'): string {
  return HOTP.generate({ secret: secretOf(secret), counter, digits, algorithm: ALGORITHMS[algorithm] });
}

export const timeStep = (atMs: number): number => TOTP.counter({ period: TOTP_STEP_SECONDS, timestamp: atMs });

export function totp(secret: Buffer, atMs = Date.now(), digits = TOTP_DIGITS, algorithm: HashAlgorithm = 'sha1'): string {
  return TOTP.generate({ secret: secretOf(secret), timestamp: atMs, period: TOTP_STEP_SECONDS, digits, algorithm: ALGORITHMS[algorithm] });
}

/**
 * The time step `code` belongs to, within ±`window` steps of `atMs` (clock drift
 * of phone and server), or null. The caller refuses a step already used (replay).
 * The library compares in constant time.
 */
export function verifyTotp(secret: Buffer, code: string, atMs = Date.now(), window = 1): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: secretOf(secret),
    timestamp: atMs,
    period: TOTP_STEP_SECONDS,
    digits: TOTP_DIGITS,
    algorithm: ALGORITHMS.sha1,
    window,
  });
  return delta === null ? null : timeStep(atMs) + delta;
}

/**
 * The otpauth:// URI authenticator apps read from a QR code (Key Uri Format),
 * with the issuer both as label prefix and parameter (Google Authenticator's
 * recommendation) and every parameter explicit.
 */
export function otpauthUri(secret: Buffer, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
