import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '../errors';
import type { Role } from '../permissions/catalog';

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
  /** Expiry (seconds since the epoch), set on verified tokens. */
  exp?: number;
}

const ALGORITHM = 'HS256';
const ISSUER = 'studyspot';

export function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): string {
  const { sub, role, tid, tsl, scp, prm } = claims;
  return jwt.sign({ sub, role, tid, tsl, scp, prm }, secret, { algorithm: ALGORITHM, expiresIn: ttlSeconds, issuer: ISSUER });
}

/** Verifies with a fixed algorithm (no `alg: none`, no key confusion); throws UNAUTHENTICATED. */
export function verifyAccessToken(token: string, secret: string): AccessClaims {
  try {
    const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER });
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.role !== 'string') {
      throw new Error('malformed claims');
    }
    const prm = payload.prm && typeof payload.prm === 'object' ? (payload.prm as AccessClaims['prm']) : undefined;
    return { sub: payload.sub, role: payload.role as Role, tid: payload.tid, tsl: payload.tsl, scp: payload.scp, prm, exp: payload.exp };
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthenticated('Access token expired');
    throw unauthenticated('Invalid access token');
  }
}

/** Opaque refresh token; only its hash is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
