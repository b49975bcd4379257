import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import type { RequestHandler } from 'express';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';

/** What a client sees when a subgraph is down, slow or broken: no name, URL or cause. */
export const serviceUnavailable = () =>
  new AppError('SERVICE_UNAVAILABLE', 'A backend service is temporarily unavailable; try again shortly');

/**
 * Wraps a subgraph fetcher with a timeout and turns network failures, timeouts and
 * 502/503/504 answers into SERVICE_UNAVAILABLE. Thrown from the fetcher, the error
 * reaches the gateway's query plan as-is: only the fields of that subgraph become
 * null (partial data). Nothing is retried (mutations must not run twice); undici's
 * pool reconnects on the next request, so a restarted subgraph is used again at once.
 */
export function resilientFetcher(base: Fetcher, timeoutMs: number, onFailure?: (reason: string) => void): Fetcher {
  return async (url: string, init: FetcherRequestInit = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal as AbortSignal, timeout]) : timeout;
    let res;
    try {
      res = await base(url, { ...init, signal } as FetcherRequestInit);
    } catch {
      onFailure?.(timeout.aborted ? 'timeout' : 'network');
      throw serviceUnavailable();
    }
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      onFailure?.(`http_${res.status}`);
      throw serviceUnavailable();
    }
    return res;
  };
}

/** /ready of a subgraph, from its GraphQL URL. */
const readyUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql\/?$/, '/ready');

/**
 * Gateway readiness: every subgraph answers its own /ready (which pings its database)
 * within `timeoutMs`. The body says only ready/unavailable; which subgraph failed goes
 * to the log (the endpoint is reachable from outside, like /graphql).
 */
export function readyRoute(urls: () => Record<string, string | undefined>, log: Logger, isStopping: () => boolean, timeoutMs = 2000): RequestHandler {
  return async (_req, res) => {
    if (isStopping()) return void res.status(503).json({ status: 'stopping' });
    const entries = Object.entries(urls()).filter((e): e is [string, string] => !!e[1]);
    const checks = await Promise.all(entries.map(async ([name, url]) => {
      try {
        const r = await fetch(readyUrl(url), { signal: AbortSignal.timeout(timeoutMs) });
        return [name, r.ok] as const;
      } catch {
        return [name, false] as const;
      }
    }));
    const down = checks.filter(([, ok]) => !ok).map(([name]) => name);
    if (down.length) log.warn({ down }, 'not ready: subgraphs unavailable');
    res.status(down.length ? 503 : 200).json({ status: down.length ? 'unavailable' : 'ready' });
  };
}
