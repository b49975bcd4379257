import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockedTargetError, guardedLookup } from './target.service';

/** What one POST gave: 2xx = ok; anything else is retried (410 disables the endpoint). */
export interface SendResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  /** null on 2xx; HTTP_<code>, TIMEOUT, DNS, CONNECTION or BLOCKED_TARGET. */
  errorClass: string | null;
  /** At most 1 KB of the answer. */
  responseBody: string | null;
}

const BODY_LIMIT = 1024;

/** POSTs `body` to `url` with `headers`; never throws. The SSRF guard runs here too (target.service.ts). */
export function postWebhook(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, allowPrivate: boolean): Promise<SendResult> {
  const started = Date.now();
  const done = (r: Omit<SendResult, 'latencyMs'>): SendResult => ({ ...r, latencyMs: Date.now() - started });
  return new Promise((resolve) => {
    let lookup;
    try {
      lookup = guardedLookup(url, allowPrivate);
    } catch {
      return resolve(done({ ok: false, status: null, errorClass: 'BLOCKED_TARGET', responseBody: null }));
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      lookup,
      headers: { 'content-type': 'application/json', 'user-agent': 'StudySpot-Webhooks/1', ...headers, 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => req.destroy(new Error('TIMEOUT')), timeoutMs);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const text = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
        resolve(done({ ok, status, errorClass: ok ? null : `HTTP_${status}`, responseBody: text || null }));
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err: Error & { code?: string }) => {
      clearTimeout(timer);
      const errorClass =
        err.message === 'TIMEOUT'
          ? 'TIMEOUT'
          : err instanceof BlockedTargetError
            ? 'BLOCKED_TARGET'
            : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
              ? 'DNS'
              : 'CONNECTION';
      resolve(done({ ok: false, status: null, errorClass, responseBody: null }));
    });
    req.end(body);
  });
}
