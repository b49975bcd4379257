import { performance } from 'node:perf_hooks';
import { percentiles } from '../stats';
import { mintToken } from './client';
import { graphqlCheck, type Target } from './load';
import { auth, gqlBody } from './workloads';

export type Traffic = 'uniform' | 'skewed';

/**
 * Which tenant the next request goes to. `uniform`: any tenant alike. `skewed`: Zipf
 * (exponent 1) over the tenants' rank — a few busy tenants and a long tail: at 10,000
 * tenants the busiest takes ~10 % of requests, the top 100 about half, and the 9,000
 * least busy about a quarter.
 */
export function picker(n: number, traffic: Traffic): () => number {
  if (traffic === 'uniform' || n === 1) return () => Math.floor(Math.random() * n);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1);
  return () => {
    const x = Math.random() * sum;
    let [lo, hi] = [0, n - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * W4's load: each request as a new user of a picked tenant (no shared fetch at the
 * gateway). Counts the requests that reach a tenant no earlier request of the step
 * reached (cold: the processes have nothing of it yet) and their latency apart.
 */
export function tenantTraffic(url: string, query: string, tenants: { id: string; slug: string }[], pick: () => number, seen: Set<number>) {
  const body = gqlBody(query);
  const base = graphqlCheck((d: { libraries?: unknown[] }) => (d.libraries?.length === 1 ? null : "expected the tenant's one library"));
  const ms = { cold: [] as number[], warm: [] as number[] };
  const target: Target = {
    url,
    request(ctx) {
      const i = pick();
      ctx.cold = !seen.has(i);
      seen.add(i);
      ctx.t0 = performance.now();
      const t = tenants[i];
      return { body, headers: auth(mintToken('owner', t, `owner-${t.slug}-${Math.floor(Math.random() * 1e9)}`)) };
    },
    check(text, ctx) {
      ms[ctx.cold ? 'cold' : 'warm'].push(performance.now() - (ctx.t0 as number));
      return base(text);
    },
  };
  return {
    target,
    /** Share of requests so far that were a tenant's first, and the p50 of each kind. */
    stats: () => ({
      requests: ms.cold.length + ms.warm.length,
      coldShare: ms.cold.length / Math.max(1, ms.cold.length + ms.warm.length),
      coldP50: percentiles(ms.cold).p50,
      warmP50: percentiles(ms.warm).p50,
    }),
  };
}

/** One request as a new owner of `t`; its latency in ms (throws on an error answer). */
export async function timedRequest(url: string, query: string, t: { id: string; slug: string }): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(mintToken('owner', t, `owner-${t.slug}-${Math.floor(Math.random() * 1e9)}`)) },
    body: gqlBody(query),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  const err = res.status === 200 ? graphqlCheck()(text) : `HTTP ${res.status}`;
  if (err) throw new Error(`W4 request for ${t.slug}: ${err}`);
  return ms;
}
