import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from 'express';
import type { SubgraphName } from '../core/config';
import { verifyDocumentLink } from '../core/documents/link';
import { AppError, notFound } from '../core/errors';
import type { Logger } from '../core/logger';
import type { JwtKey } from '../core/security/config';
import { sendHttpError } from '../core/server/http-errors';

export interface DocumentProxyOptions {
  /** GraphQL URLs of the subgraphs (read per request: tests fill them in as services start). */
  urls: () => Partial<Record<SubgraphName, string>>;
  /** The JWT ring: links are checked here too, so a forged or expired one never reaches a subgraph. */
  keys: readonly JwtKey[];
  /** Headers signing the (empty) request body: core/security/signing.ts, when signing is on. */
  sign: (body: string) => Record<string, string>;
  log: Logger;
  /** Longest wait for the subgraph's first byte (rendering starts before it answers). */
  timeoutMs?: number;
}

/** What passes from the subgraph's answer to the client. */
const PASSED = ['content-type', 'content-disposition', 'content-length', 'x-content-type-options'];

/**
 * GET /documents/:token at the gateway: verifies the link, then stream-proxies the
 * subgraph it names (`GET <subgraph>/documents/:token`) without buffering the file.
 * Downloads are never cached by browsers or proxies; errors are `{ error: { code, message } }`.
 */
export function useDocumentProxy(options: DocumentProxyOptions): RequestHandler {
  const { urls, keys, sign, log, timeoutMs = 30_000 } = options;
  return async (req, res) => {
    res.set('cache-control', 'private, no-store');
    const token = String(req.params.token);
    let target: string;
    try {
      const link = verifyDocumentLink(keys, token);
      const graphqlUrl = urls()[link.subgraph];
      if (!graphqlUrl) throw new AppError('SERVICE_UNAVAILABLE', 'The service of this document is unavailable');
      target = `${graphqlUrl.replace(/\/graphql\/?$/, '')}/documents/${encodeURIComponent(token)}`;
    } catch (err) {
      return sendHttpError(res, err, log);
    }
    const abort = new AbortController();
    // The client went away: stop the subgraph rendering for nobody.
    res.on('close', () => abort.abort());
    const firstByte = setTimeout(() => abort.abort(), timeoutMs);
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        headers: { 'x-request-id': String(req.headers['x-request-id'] ?? ''), ...sign('') },
        signal: abort.signal,
      });
    } catch (err) {
      if (res.destroyed) return;
      log.warn({ err, path: '/documents' }, 'document service unavailable');
      return sendHttpError(res, new AppError('SERVICE_UNAVAILABLE', 'The document service is unavailable, try again'));
    } finally {
      clearTimeout(firstByte);
    }
    if (!upstream.ok && !upstream.headers.get('content-type')?.includes('json')) {
      // Not an answer of core/documents (e.g. a service without documents): still a JSON error.
      await upstream.body?.cancel();
      return sendHttpError(res, upstream.status === 404 ? notFound('Document') : new AppError('SERVICE_UNAVAILABLE', 'The document service failed, try again'));
    }
    res.status(upstream.status);
    for (const name of PASSED) {
      const v = upstream.headers.get(name);
      if (v) res.setHeader(name, v);
    }
    if (!upstream.body) return void res.end();
    try {
      await pipeline(Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream), res);
    } catch (err) {
      // A cut upstream (renderer failed half-way) cuts the download too: pipeline destroyed res.
      if (!abort.signal.aborted) log.warn({ err }, 'document stream interrupted');
    }
  };
}
