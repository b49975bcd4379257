import type { RequestHandler } from 'express';
import type { Logger } from '../core/logger';

export interface ReadyRouteOptions {
  /** GraphQL URLs of the subgraphs, read on every check (tests fill them in as services start). */
  urls: () => Record<string, string | undefined>;
  log: Logger;
  /** True once the gateway is stopping: /ready answers 503 at once. */
  isStopping: () => boolean;
  /** Longest wait for one subgraph's /ready. */
  timeoutMs?: number;
}

/** /ready of a subgraph, from its GraphQL URL. */
const readyUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql\/?$/, '/ready');

/**
 * Gateway readiness: every subgraph answers its own /ready (which pings its database)
 * within `timeoutMs`. The body says only ready/unavailable; which subgraph failed goes
 * to the log (the endpoint is reachable from outside, like /graphql).
 */
export function useReadyRoute(options: ReadyRouteOptions): RequestHandler {
  const { urls, log, isStopping, timeoutMs = 2000 } = options;
  return async (_req, res) => {
    if (isStopping()) return void res.status(503).json({ status: 'stopping' });
    const entries = Object.entries(urls()).filter((e): e is [string, string] => !!e[1]);
    const checks = await Promise.all(
      entries.map(async ([name, url]) => {
        try {
          const r = await fetch(readyUrl(url), { signal: AbortSignal.timeout(timeoutMs) });
          return [name, r.ok] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    const down = checks.filter(([, ok]) => !ok).map(([name]) => name);
    if (down.length) log.warn({ down }, 'not ready: subgraphs unavailable');
    res.status(down.length ? 503 : 200).json({ status: down.length ? 'unavailable' : 'ready' });
  };
}
