import { z } from 'zod';

/** One HS256 key of the access-token key ring. */
export interface JwtKey {
  kid: string;
  secret: string;
}

/** Protections and observability settings (read by loadConfig into `config.security`). */
export interface SecurityConfig {
  /** Newest first: the first key signs, every key verifies (rotation). */
  jwtKeys: JwtKey[];
  /** Browser origins allowed by CORS at the gateway; empty = no cross-origin browser access. */
  corsOrigins: string[];
  /** HMAC secret the gateway signs subgraph requests with; subgraphs refuse unsigned ones when set. */
  gatewaySigningSecret?: string;
  /** Requests per minute per client IP / per user / per tenant at the gateway (0 = off). */
  rateLimitIp: number;
  rateLimitUser: number;
  rateLimitTenant: number;
  /** Failed logins per account+IP before lockout, and the lockout length. */
  loginMaxFailures: number;
  loginLockoutMinutes: number;
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted (express "trust proxy"). */
  trustProxy: number;
  /**
   * Account secrets key ring (ACCOUNT_KEYS, newest first): encrypts TOTP secrets at
   * rest and keys the hashes of reset and recovery codes (core/security/secret-box.ts).
   */
  accountKeys: JwtKey[];
}

const KID = /^[A-Za-z0-9._-]{1,32}$/;

const schema = z.object({
  JWT_KEYS: z.string().optional(),
  CORS_ORIGINS: z.string().default(''),
  GATEWAY_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  RATE_LIMIT_IP: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_USER: z.coerce.number().int().min(0).default(300),
  RATE_LIMIT_TENANT: z.coerce.number().int().min(0).default(3000),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  ACCOUNT_KEYS: z.string().optional(),
});

/** The variables loadSecurityConfig reads (core/config.ts CONFIG_ENV_VARS). */
export const SECURITY_ENV_VARS: readonly string[] = Object.keys(schema.shape);

/** Returns the settings, or the list of problems (`NAME: message`) for loadConfig to report. */
export function loadSecurityConfig(env: NodeJS.ProcessEnv, jwtSecret: string): SecurityConfig | string[] {
  const parsed = schema.safeParse(env);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const e = parsed.data;
  const keys = e.JWT_KEYS ? parseKeyRing(e.JWT_KEYS) : [{ kid: 'k1', secret: jwtSecret }];
  if (typeof keys === 'string') return [`JWT_KEYS: ${keys}`];
  if (!e.ACCOUNT_KEYS && env.NODE_ENV === 'production') return ['ACCOUNT_KEYS: required in production (k1:<openssl rand -hex 32>)'];
  // Outside production a fixed development key, so a fresh clone runs without set-up.
  const accountKeys = e.ACCOUNT_KEYS ? parseKeyRing(e.ACCOUNT_KEYS) : [{ kid: 'dev', secret: 'dev-only-account-key-change-me-dev-only' }];
  if (typeof accountKeys === 'string') return [`ACCOUNT_KEYS: ${accountKeys}`];
  return {
    jwtKeys: keys,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    gatewaySigningSecret: e.GATEWAY_SIGNING_SECRET,
    rateLimitIp: e.RATE_LIMIT_IP,
    rateLimitUser: e.RATE_LIMIT_USER,
    rateLimitTenant: e.RATE_LIMIT_TENANT,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockoutMinutes: e.LOGIN_LOCKOUT_MINUTES,
    trustProxy: e.TRUST_PROXY,
    accountKeys,
  };
}

/** `kid:secret,kid:secret` (newest first) → key ring, or an error message (JWT_KEYS, ACCOUNT_KEYS). */
function parseKeyRing(raw: string): JwtKey[] | string {
  const keys: JwtKey[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf(':');
    const kid = part.slice(0, i);
    const secret = part.slice(i + 1);
    if (i < 1 || !KID.test(kid)) return 'each entry is kid:secret, kid of letters, digits, . _ - (max 32)';
    if (secret.length < 32) return `secret of key ${kid} must be at least 32 characters`;
    if (keys.some((k) => k.kid === kid)) return `duplicate kid ${kid}`;
    keys.push({ kid, secret });
  }
  return keys.length ? keys : 'at least one kid:secret';
}
