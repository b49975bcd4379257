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
  const [one, last] = [scale[0], scale[scale.length - 1]];
  if (one && last) {
    const d = (last.rssSubgraphs + last.rssGateway - one.rssSubgraphs - one.rssGateway) / 2 ** 20;
    out.push([`W4 RSS(${last.tenants}) ≤ RSS(${one.tenants}) + 200 MB`, `+${d.toFixed(0)} MB`, yes(d <= 200)]);
    const q = last.p95 / one.p95;
    out.push([`W4 p95(${last.tenants}) / p95(${one.tenants}) ≤ 1.2`, `${q.toFixed(2)}`, yes(q <= 1.2)]);
  }
  return out;
}
