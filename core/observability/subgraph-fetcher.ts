import { SpanStatusCode } from '@opentelemetry/api';
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import type { ServiceConfig } from '../config';
import { signingHeaders } from '../security/signing';
import type { ServiceMetrics } from './metrics';
import { startClientSpan } from './tracing';

// Node's fetch (undici: keep-alive pool, no retries) is a compatible Fetcher.
const defaultFetcher = fetch as unknown as Fetcher;

/**
 * The gateway's fetcher for one subgraph: signs the exact body bytes
 * (x-gateway-signature), carries the trace (traceparent, client span) and
 * records the fetch latency per subgraph.
 */
export function subgraphFetcher(subgraph: string, config: ServiceConfig, metrics: ServiceMetrics, base: Fetcher = defaultFetcher): Fetcher {
  return async (url: string, init: FetcherRequestInit = {}) => {
    const { span, headers: trace } = startClientSpan('gateway', `subgraph ${subgraph}`, { 'server.address': subgraph, 'url.full': url });
    const body = typeof init.body === 'string' ? init.body : (init.body?.toString('utf8') ?? '');
    const headers = { ...init.headers, ...trace, ...signingHeaders(config, body) };
    const end = metrics.subgraphFetch.startTimer({ subgraph });
    try {
      const res = await base(url, { ...init, headers, body });
      span.setAttribute('http.response.status_code', res.status);
      if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      end({ outcome: res.ok ? 'ok' : `http_${res.status}` });
      return res;
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      end({ outcome: 'network_error' });
      throw err;
    } finally {
      span.end();
    }
  };
}
