import type { Summary } from './load';
import type { RoundTripRow } from './round-trips';
import type { ScaleRow } from './scale';

const yes = (b: boolean) => (b ? 'yes' : 'NO');

/** The targets, each with the measured figure it is judged on. */
export function verdicts(r: Map<string, Summary>, rt: RoundTripRow[], scale: ScaleRow[]): string[][] {
  const out: string[][] = [];
  const ours = rt.filter((x) => x.gateway === 'ours' && x.batching);
  // Registry lookups depend on TENANT_CACHE_MS timing, not on the list: left out. The API pages at 100, so
  // n = 1000 is 10 aliased pages: constant means the same commands up to 100, then one more `find` per page.
  const data = (x: RoundTripRow) => x.commands - x.registry;
  const trips = ours.map((x) => `${x.n}: ${data(x)}`).join(', ');
  const base = ours.find((x) => x.n <= 100);
  const constant = !!base && ours.every((x) => data(x) <= data(base) + Math.ceil(x.n / 100) - 1);
  out.push(['W2 round trips constant in list size (ours, DataLoader on; registry lookups excluded; +1 find per extra page of 100)', trips, yes(constant)]);
  const w1 = r.get('W1 ours');
  if (w1)
    out.push([
      'W1 p95 < 200 ms at 50 connections, 0 errors',
      `${w1.p95.median.toFixed(1)} ms, ${w1.errors} errors`,
      yes(w1.p95.median < 200 && w1.errors === 0),
    ]);
  for (const w of ['W1', 'W1 50 users', 'W2 n=10', 'W2 n=100', 'W2 n=1000']) {
    const [a, b] = [r.get(`${w} ours`), r.get(`${w} hive`)];
    if (!a || !b) continue;
    const x = a.rps.median / b.rps.median,
      y = a.p95.median / b.p95.median;
    out.push([`${w}: ours ≥ 1.0× Hive req/s, p95 no worse`, `${x.toFixed(2)}× req/s, p95 ${y.toFixed(2)}×`, yes(x >= 1 && y <= 1)]);
  }
  out.push(...scaleVerdicts(scale));
  return out;
}

/** Issue 19's W4 targets: the largest tenant count against 1 tenant, each traffic shape. */
export function scaleVerdicts(scale: ScaleRow[]): string[][] {
  const out: string[][] = [];
  // The better of the 1-tenant runs (the step is run first and again last): the stricter baseline.
  const ones = scale.filter((r) => r.tenants === 1);
  const one = ones.length ? { ...ones[0], rps: Math.max(...ones.map((r) => r.rps)), p95: Math.min(...ones.map((r) => r.p95)) } : undefined;
  const max = Math.max(...scale.map((r) => r.tenants));
  if (!one || max <= 1) return out;
  for (const last of scale.filter((r) => r.tenants === max)) {
    const at = `${last.tenants} ${last.traffic}`;
    const q = last.p95 / one.p95;
    out.push([`W4 p95(${at}) ≤ 1.5 × p95(1)`, `${q.toFixed(2)}×`, yes(q <= 1.5)]);
    const t = last.rps / one.rps;
    out.push([`W4 req/s(${at}) ≥ 0.7 × req/s(1)`, `${t.toFixed(2)}×`, yes(t >= 0.7)]);
    const d = (last.rssSubgraphs + last.rssGateway - one.rssSubgraphs - one.rssGateway) / 2 ** 20;
    out.push([`W4 RSS(${at}) ≤ RSS(1) + 500 MB`, `${d >= 0 ? '+' : ''}${d.toFixed(0)} MB`, yes(d <= 500)]);
    out.push([`W4 cold tenant's first request ≤ +50 ms (${at})`, `+${last.coldExtraMs.toFixed(1)} ms`, yes(last.coldExtraMs <= 50)]);
  }
  return out;
}
