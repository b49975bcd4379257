import autocannon from 'autocannon';
import { percentiles } from '../stats';

/** One HTTP POST shape the load generator sends (a GraphQL operation, or anything for the ceiling). */
export interface Target {
  url: string;
  /** Body and headers of the next request; `ctx` lives until its response has been checked. */
  request(ctx: Record<string, unknown>): { body: string; headers: Record<string, string> };
  /** Checks one response body; returns an error description, or null when it is good. */
  check(body: string, ctx: Record<string, unknown>): string | null;
}

export interface RoundStats {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  errors: number;
  firstError?: string;
}

/** GraphQL responses are good when they have data and no `errors`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
export function graphqlCheck(expect?: (data: any) => string | null) {
  return (body: string, _ctx?: Record<string, unknown>): string | null => {
    try {
      const r = JSON.parse(body) as { data?: unknown; errors?: { message: string }[] };
      if (r.errors?.length) return `GraphQL error: ${r.errors[0].message}`;
      if (r.data == null) return 'no data';
      return expect ? expect(r.data) : null;
    } catch {
      return `not JSON: ${body.slice(0, 80)}`;
    }
  };
}

/**
 * One autocannon round: `connections` clients, one request in flight each, until
 * `perConnection` requests each have been answered (every request completes: a
 * round cut off by a timer would leave abandoned requests loading the next one).
 */
export function round(t: Target, connections: number, perConnection: number): Promise<RoundStats> {
  // From the first request sent to the last answer: autocannon itself ends on a 1-s tick.
  let first = 0,
    last = 0;
  const latencies: number[] = [];
  let errors = 0,
    firstError: string | undefined;
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: t.url,
        method: 'POST',
        connections,
        pipelining: 1,
        amount: connections * perConnection,
        timeout: 30,
        requests: [
          {
            setupRequest: (req, ctx) => {
              first ||= performance.now();
              const { body, headers } = t.request(ctx as Record<string, unknown>);
              return { ...req, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } };
            },
            onResponse: (status, body, ctx) => {
              const err = status !== 200 ? `HTTP ${status}: ${body.slice(0, 120)}` : t.check(body, ctx as Record<string, unknown>);
              if (err) {
                errors++;
                firstError ??= err;
              }
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        errors += result.errors + result.timeouts;
        const p = percentiles(latencies);
        resolve({
          rps: result.requests.total / (Math.max(1, last - first) / 1000),
          p50: p.p50,
          p95: p.p95,
          p99: p.p99,
          requests: result.requests.total,
          errors,
          firstError,
        });
      },
    );
    inst.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      last = performance.now();
    });
  });
}

export interface Summary {
  rounds: RoundStats[];
  rps: { median: number; min: number; max: number };
  p95: { median: number; min: number; max: number };
  p50: number;
  errors: number;
  firstError?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

export function summarize(rounds: RoundStats[]): Summary {
  return {
    rounds,
    rps: spread(rounds.map((r) => r.rps)),
    p95: spread(rounds.map((r) => r.p95)),
    p50: median(rounds.map((r) => r.p50)),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    firstError: rounds.find((r) => r.firstError)?.firstError,
  };
}
