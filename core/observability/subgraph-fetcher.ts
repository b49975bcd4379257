import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import type { ServiceConfig } from '../config';
import { signingHeaders } from '../security/signing';
import type { ServiceMetrics } from './metrics';

// Node's fetch (undici: keep-alive pool, no retries) is a compatible Fetcher. Its
// client span and `traceparent` come from the undici instrumentation (core/observability/sdk.ts).
const defaultFetcher = fetch as unknown as Fetcher;

/**
 * The gateway's fetcher for one subgraph: signs the exact body bytes
 * (x-gateway-signature) and records the fetch latency per subgraph.
 */
export function subgraphFetcher(subgraph: string, config: ServiceConfig, metrics: ServiceMetrics, base: Fetcher = defaultFetcher): Fetcher {
  return async (url: string, init: FetcherRequestInit = {}) => {
    const body = typeof init.body === 'string' ? init.body : (init.body?.toString('utf8') ?? '');
    const headers = { ...init.headers, ...signingHeaders(config, body) };
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
