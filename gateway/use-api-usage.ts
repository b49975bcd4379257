import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../core/logger';

/** One answered partner request, as recordApiUsage (tenant subgraph) takes it. */
export interface ApiUsageEntry {
  /** The use the key exchange recorded (PartnerSession.useId): the entry completes it. */
  useId: string;
  tenantId: string;
  keyId: string;
  operationName: string | null;
  operationType: string | null;
  status: number;
  /** `extensions.code` of the answer's errors, each once, in order. */
  errorCodes: string[];
  /** Whole request at the gateway (first byte in to last byte out), in ms. */
  latencyMs: number;
  requestBytes: number;
  responseBytes: number;
  requestId: string | null;
  at: string;
}

/** What the partner endpoint leaves in `res.locals` for the recorder. */
export interface UsageLocals {
  /** Set once the key is exchanged (before its rate limit): requests without one are not recorded. */
  session?: { keyId: string; tenantId?: string | null; useId?: string | null };
  /** Set once the document is parsed. */
  operation?: { name: string | null; type: string | null };
}

export interface ApiUsageOptions {
  /**
   * Sends one batch (the tenant subgraph's recordApiUsage); throws when it failed, and the
   * batch is kept for the next flush — unless the error is a RefusedBatch: the subgraph
   * will never take it, so it is dropped (counted, logged) instead of blocking the rest.
   */
  send(entries: ApiUsageEntry[]): Promise<void>;
  log: Logger;
  /** Flush period in ms (default 1000). */
  flushMs?: number;
  /** Entries per batch; a full batch is sent at once (default 200). */
  batchSize?: number;
  /** Entries kept while the tenant subgraph is unreachable; beyond this the oldest are dropped (default 10000). */
  maxBuffer?: number;
  /** Registers `api_usage_dropped_total` and `api_usage_buffered` here (the gateway's /metrics). */
  registry?: Registry;
  /** Longest wait for the last flush on stop(), in ms (default 5000). */
  stopTimeoutMs?: number;
}

export interface ApiUsage {
  /** Mount before the partner endpoint: measures each request and buffers its entry once answered. */
  middleware: RequestHandler;
  /** Sends what is buffered now (one batch at a time). */
  flush(): Promise<void>;
  /** Stops the timer and sends what is left (SIGTERM: after the HTTP server has drained). */
  stop(): Promise<void>;
  /** Entries waiting to be sent. */
  pending(): number;
}

/** The tenant subgraph refused the batch itself (invalid input): retrying cannot help. */
export class RefusedBatch extends Error {}

/** Bytes of a response body kept to read its error codes; a longer answer's codes are read from this prefix only. */
const CAPTURE_MAX = 64 * 1024;
const CODES_MAX = 20;

/**
 * Usage log of the partner endpoint (docs/partners.md "Usage"): measured at the gateway
 * after the answer — status, error codes, latency, bytes — and sent in batches to the
 * tenant subgraph, which owns the log (the gateway never touches a database). Losing
 * entries is preferred to holding a request or growing without bound: the buffer is
 * bounded and drops its oldest entries, counted and logged, while the subgraph is down.
 */
export function useApiUsage(opts: ApiUsageOptions): ApiUsage {
  const flushMs = opts.flushMs ?? 1000;
  const batchSize = opts.batchSize ?? 200;
  const maxBuffer = Math.max(opts.maxBuffer ?? 10_000, batchSize);
  const dropped = new Counter({
    name: 'api_usage_dropped_total',
    help: 'Partner usage entries dropped because the buffer was full (tenant subgraph unreachable)',
    registers: opts.registry ? [opts.registry] : [],
  });
  let buffer: ApiUsageEntry[] = [];
  let sending: Promise<void> | null = null;
  let failing = false;

  const trim = () => {
    const over = buffer.length - maxBuffer;
    if (over <= 0) return;
    buffer = buffer.slice(over);
    dropped.inc(over);
    opts.log.warn({ dropped: over, buffered: buffer.length }, 'partner usage entries dropped: buffer full');
  };

  async function sendBatches(): Promise<void> {
    while (buffer.length) {
      const batch = buffer.splice(0, batchSize);
      try {
        await opts.send(batch);
        if (failing) opts.log.info({ buffered: buffer.length }, 'partner usage recording resumed');
        failing = false;
      } catch (err) {
        if (err instanceof RefusedBatch) {
          dropped.inc(batch.length);
          opts.log.error({ err, dropped: batch.length }, 'partner usage batch refused by the tenant service, dropped');
          continue;
        }
        buffer = batch.concat(buffer);
        trim();
        if (!failing) opts.log.warn({ err, buffered: buffer.length }, 'partner usage not recorded, kept for retry');
        failing = true;
        return;
      }
    }
  }

  const flush = (): Promise<void> =>
    (sending ??= sendBatches().finally(() => {
      sending = null;
    }));

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  function push(entry: ApiUsageEntry) {
    buffer.push(entry);
    trim();
    if (buffer.length >= batchSize && !failing) void flush();
  }

  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const at = new Date().toISOString();
    let bytes = 0;
    let kept = 0;
    const chunks: (string | Buffer)[] = [];
    const take = (chunk: unknown, encoding?: unknown) => {
      if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return;
      const n = typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk.length;
      bytes += n;
      if (kept < CAPTURE_MAX) {
        chunks.push(chunk);
        kept += n;
      }
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      take(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      take(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response['end'];
    res.once('finish', () => {
      const locals = res.locals as UsageLocals;
      const s = locals.session;
      if (!s?.useId || !s.tenantId) return; // no valid key: nothing to record against
      const params = (req.method === 'GET' ? req.query : req.body) as { operationName?: unknown } | undefined;
      const named = typeof params?.operationName === 'string' ? params.operationName.slice(0, 100) : null;
      push({
        useId: s.useId,
        tenantId: s.tenantId,
        keyId: s.keyId,
        operationName: locals.operation?.name ?? named,
        operationType: locals.operation?.type ?? null,
        status: res.statusCode,
        errorCodes: errorCodes(chunks),
        latencyMs: Math.max(1, Math.ceil(Number(process.hrtime.bigint() - started) / 1e6)),
        requestBytes: Number(req.headers['content-length']) || (req.method === 'GET' ? Buffer.byteLength(req.originalUrl.split('?')[1] ?? '') : 0),
        responseBytes: bytes,
        requestId: typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 64) : null,
        at,
      });
    });
    next();
  };

  return {
    middleware,
    flush,
    pending: () => buffer.length,
    async stop() {
      clearInterval(timer);
      const deadline = Date.now() + (opts.stopTimeoutMs ?? 5000);
      await sending;
      failing = false;
      while (buffer.length && !failing && Date.now() < deadline) await flush();
      if (buffer.length) opts.log.warn({ lost: buffer.length }, 'partner usage entries not recorded at shutdown');
    },
  };
}

/** The distinct `extensions.code` of a GraphQL answer's errors (none when it has no `errors`). */
function errorCodes(chunks: (string | Buffer)[]): string[] {
  const text = chunks.map((c) => (typeof c === 'string' ? c : c.toString('utf8'))).join('');
  if (!text.includes('"errors"')) return [];
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    const codes = (body.errors ?? []).map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string');
    return [...new Set(codes)].slice(0, CODES_MAX).map((c) => c.slice(0, 60));
  } catch {
    return []; // cut at CAPTURE_MAX, or not JSON
  }
}
