import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '../errors';
import type { JwtKey } from '../security/config';

/**
 * The short-lived token of a login that is not finished: after the password,
 * `totp` (loginWithTotp asks for the second factor) or `enroll` (the tenant
 * requires TOTP and the user has none: only enrollTotp/confirmTotp accept it).
 * Its own issuer and no role claim: verifyAccessToken refuses it, so it opens
 * nothing else anywhere.
 */
export type ChallengePurpose = 'totp' | 'enroll';

export interface ChallengeClaims {
  sub: string;
  /** Tenant id and slug of a tenant user; absent for platform users. */
  tid?: string;
  tsl?: string;
  pur: ChallengePurpose;
  /** Spent once on success (account claims), so a finished challenge cannot be replayed. */
  jti: string;
}

const ISSUER = 'studyspot:challenge';
export const CHALLENGE_TTL_SECONDS: Record<ChallengePurpose, number> = { totp: 300, enroll: 900 };

export function signChallenge(claims: Omit<ChallengeClaims, 'jti'>, ring: readonly JwtKey[]): string {
  const { sub, tid, tsl, pur } = claims;
  return jwt.sign({ sub, tid, tsl, pur }, ring[0].secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    expiresIn: CHALLENGE_TTL_SECONDS[pur],
    keyid: ring[0].kid,
    jwtid: randomUUID(),
  });
}

/** Throws UNAUTHENTICATED unless `token` is a live challenge of `purpose`. */
export function verifyChallenge(token: string, ring: readonly JwtKey[], purpose: ChallengePurpose): ChallengeClaims {
  const invalid = () => unauthenticated('Invalid or expired login challenge; log in again');
  try {
    const kid = jwt.decode(token, { complete: true })?.header.kid;
    const key = ring.find((k) => k.kid === kid);
    if (!key) throw invalid();
    const p = jwt.verify(token, key.secret, { algorithms: ['HS256'], issuer: ISSUER });
    if (typeof p === 'string' || p.pur !== purpose || typeof p.sub !== 'string' || typeof p.jti !== 'string') throw invalid();
    return { sub: p.sub, tid: p.tid, tsl: p.tsl, pur: purpose, jti: p.jti };
  } catch {
    throw invalid();
  }
}
