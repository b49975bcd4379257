import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { AppError } from '../core/errors';

/** What a client sees when a subgraph is down, slow or broken: no name, URL or cause. */
export const serviceUnavailable = () => new AppError('SERVICE_UNAVAILABLE', 'A backend service is temporarily unavailable; try again shortly');

export interface ResilientFetcherOptions {
  /** The fetcher to wrap (gateway/use-subgraph-fetcher.ts). */
  base: Fetcher;
  /** Longest wait for one subgraph fetch (SUBGRAPH_TIMEOUT_MS). */
  timeoutMs: number;
  /** Told why a fetch failed: 'timeout', 'network' or 'http_<status>' (the log names the subgraph). */
  onFailure?: (reason: string) => void;
}

/**
 * Wraps a subgraph fetcher with a timeout and turns network failures, timeouts and
 * 502/503/504 answers into SERVICE_UNAVAILABLE. Thrown from the fetcher, the error
 * reaches the gateway's query plan as-is: only the fields of that subgraph become
 * null (partial data). Nothing is retried (mutations must not run twice); undici's
 * pool reconnects on the next request, so a restarted subgraph is used again at once.
 */
export function useResilientFetcher(options: ResilientFetcherOptions): Fetcher {
  const { base, timeoutMs, onFailure } = options;
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
