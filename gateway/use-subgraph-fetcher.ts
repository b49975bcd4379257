import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import type { ServiceMetrics } from '../core/observability/metrics';

// Node's fetch (undici: keep-alive pool, no retries) is a compatible Fetcher. Its
// client span and `traceparent` come from the undici instrumentation (core/observability/sdk.ts).
const defaultFetcher = fetch as unknown as Fetcher;

export interface SubgraphFetcherOptions {
  /** The subgraph's name (the `subgraph` label of the fetch latency). */
  subgraph: string;
  /** Headers that sign the exact body bytes (core/security/signing.ts `signingHeaders`: x-gateway-signature). */
  sign?: (body: string) => Record<string, string>;
  /** Records `subgraph_fetch_duration_seconds` per subgraph and outcome. */
  metrics: ServiceMetrics;
  /** The fetch underneath (tests). */
  base?: Fetcher;
}

/** The gateway's fetcher for one subgraph: signs the exact body bytes and records the fetch latency. */
export function useSubgraphFetcher(options: SubgraphFetcherOptions): Fetcher {
  const { subgraph, sign, metrics, base = defaultFetcher } = options;
  return async (url: string, init: FetcherRequestInit = {}) => {
    const body = typeof init.body === 'string' ? init.body : (init.body?.toString('utf8') ?? '');
    const headers = { ...init.headers, ...sign?.(body) };
    const end = metrics.subgraphFetch.startTimer({ subgraph });
    try {
      const res = await base(url, { ...init, headers, body });
      end({ outcome: res.ok ? 'ok' : `http_${res.status}` });
      return res;
    } catch (err) {
      end({ outcome: 'network_error' });
      throw err;
    }
  };
}
