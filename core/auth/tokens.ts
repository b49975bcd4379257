import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '../errors';
import type { Role } from '../permissions/catalog';
import type { JwtKey } from '../security/config';

/** What a verified access token says about its bearer. */
export interface AccessClaims {
  sub: string;
  role: Role;
  /** Tenant id for tenant users; absent for platform users. */
  tid?: string;
  /** Tenant slug, for logs and routing. */
  tsl?: string;
  /** Scopes of a partner API key (role `partner` only). */
  scp?: string[];
  /** Per-user permission overrides of a tenant user: `g` granted on top of the role, `r` revoked from it. */
  prm?: { g?: string[]; r?: string[] };
  /**
   * Branch scope of a tenant manager or staff member: the library ids they may see and
   * change. Absent = every library of the tenant (owners, unscoped staff, platform roles).
   */
  lib?: string[];
  /** Expiry (seconds since the epoch), set on verified tokens. */
  exp?: number;
}

const ALGORITHM = 'HS256';
const ISSUER = 'studyspot';

/** A single secret (no `kid`) or a key ring, newest first (JWT_KEYS rotation). */
export type JwtSecret = string | readonly JwtKey[];

/** Signs with the newest key of the ring and names it in the `kid` header. */
export function signAccessToken(claims: AccessClaims, secret: JwtSecret, ttlSeconds: number): string {
  const { sub, role, tid, tsl, scp, prm, lib } = claims;
  const key = typeof secret === 'string' ? { secret } : { secret: secret[0].secret, keyid: secret[0].kid };
  return jwt.sign({ sub, role, tid, tsl, scp, prm, ...(lib ? { lib } : {}) }, key.secret, {
    algorithm: ALGORITHM,
    expiresIn: ttlSeconds,
    issuer: ISSUER,
    ...(key.keyid ? { keyid: key.keyid } : {}),
  });
}

/**
 * Verifies with a fixed algorithm (no `alg: none`, no key confusion); throws UNAUTHENTICATED.
 * With a key ring, a token naming a `kid` is checked with that key only (unknown kid =
 * refused); a token without one (issued before rotation was configured) with each key.
 */
export function verifyAccessToken(token: string, secret: JwtSecret): AccessClaims {
  try {
    const payload = verifyWithRing(token, secret);
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.role !== 'string') {
      throw new Error('malformed claims');
    }
    const prm = payload.prm && typeof payload.prm === 'object' ? (payload.prm as AccessClaims['prm']) : undefined;
    const lib = Array.isArray(payload.lib) && payload.lib.every((l) => typeof l === 'string') ? (payload.lib as string[]) : undefined;
    return { sub: payload.sub, role: payload.role as Role, tid: payload.tid, tsl: payload.tsl, scp: payload.scp, prm, lib, exp: payload.exp };
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthenticated('Access token expired');
    throw unauthenticated('Invalid access token');
  }
}

/**
 * Given a string, jsonwebtoken first tries `createPublicKey` on it (which throws for
 * an HMAC secret) on every call: ~6 % of a subgraph's CPU. One KeyObject per secret.
 */
const keyObjects = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject => {
  let k = keyObjects.get(secret);
  if (!k) keyObjects.set(secret, (k = createSecretKey(Buffer.from(secret, 'utf8'))));
  return k;
};

function verifyWithRing(token: string, secret: JwtSecret): string | jwt.JwtPayload {
  const opts = { algorithms: [ALGORITHM] as jwt.Algorithm[], issuer: ISSUER };
  if (typeof secret === 'string') return jwt.verify(token, keyOf(secret), opts);
  const kid = jwt.decode(token, { complete: true })?.header.kid;
  if (kid !== undefined) {
    const key = secret.find((k) => k.kid === kid);
    if (!key) throw new Error('unknown kid');
    return jwt.verify(token, keyOf(key.secret), opts);
  }
  let last: unknown = new Error('no key');
  for (const key of secret) {
    try {
      return jwt.verify(token, keyOf(key.secret), opts);
    } catch (err) {
      last = err;
      // An expired token is expired under whichever key signed it.
      if (err instanceof jwt.TokenExpiredError) break;
    }
  }
  throw last;
}

/** Opaque refresh token; only its hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
