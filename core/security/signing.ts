import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ServiceConfig } from '../config';

/**
 * Defence in depth between services: every request to a subgraph's /graphql
 * (from the gateway or another subgraph) carries an HMAC over a timestamp and
 * the SHA-256 of the exact body bytes. A subgraph with GATEWAY_SIGNING_SECRET
 * set refuses anything unsigned, badly signed or older than the window, so a
 * caller who reaches a subgraph port directly cannot use it even with a token.
 */
export const SIGNATURE_HEADER = 'x-gateway-signature';
const WINDOW_SECONDS = 300;

const mac = (secret: string, ts: string, body: string | Buffer) =>
  createHmac('sha256', secret)
    .update(`${ts}.${createHash('sha256').update(body).digest('hex')}`)
    .digest('hex');

/** `t=<unix seconds>,v1=<hex hmac>` for this body. */
export function signBody(secret: string, body: string | Buffer, now = Date.now()): string {
  const ts = String(Math.floor(now / 1000));
  return `t=${ts},v1=${mac(secret, ts, body)}`;
}

export function verifyBodySignature(secret: string, header: string | undefined, body: Buffer, now = Date.now()): boolean {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  if (Math.abs(now / 1000 - Number(m[1])) > WINDOW_SECONDS) return false;
  return timingSafeEqual(Buffer.from(mac(secret, m[1], body), 'hex'), Buffer.from(m[2], 'hex'));
}

/** Headers to add to an internal request with this exact body (none when signing is off). */
export function signingHeaders(config: ServiceConfig, body: string): Record<string, string> {
  const secret = config.security.gatewaySigningSecret;
  return secret ? { [SIGNATURE_HEADER]: signBody(secret, body) } : {};
}

/** express.json `verify` hook: keeps the raw bytes for the signature check. */
export function keepRawBody(req: Request, _res: Response, buf: Buffer): void {
  (req as Request & { rawBody?: Buffer }).rawBody = buf;
}

/** Refuses unsigned or badly signed requests when a signing secret is configured. */
export function requireSignature(config: ServiceConfig) {
  const secret = config.security.gatewaySigningSecret;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!secret || req.method === 'OPTIONS') return next();
    const raw = (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const header = req.headers[SIGNATURE_HEADER];
    if (verifyBodySignature(secret, typeof header === 'string' ? header : undefined, raw)) return next();
    res.status(401).json({
      errors: [{ message: 'Requests to this service must come through the gateway', extensions: { code: 'UNAUTHENTICATED', errorCode: 1001 } }],
    });
  };
}
