import { performance } from 'node:perf_hooks';
import type { GatewayService } from '../../gateway';
import type { System } from '../../tests/helpers/system';
import { mutate, mutationFor, setUpTenant, type BenchTenant } from './fixture';
import { client, mintToken } from './perf/client';
import { round, summarize, type RoundStats, type Summary } from './perf/load';
import { DASHBOARD } from './perf/queries';
import { seedDashboardTenant } from './perf/seed';
import { fixed } from './perf/workloads';
import { openSubscribers } from './subscribers';

/**
 * HTTP W1 (the dashboard query of `npm run bench`, scripts/bench/perf/queries.ts, as one
 * user over `connections` autocannon connections) measured idle, then while a
 * subscription storm runs on the same gateway (N distinct-user subscribers of one
 * library, one check-in/out every `eventMs`), then idle again. Target (issue 14): W1 p95
 * during the storm ≤ 1.5 × idle. The system must be started with the perf bench's
 * JWT_SECRET (W1's seed mints its tokens with it).
 */
export interface W1StormSettings {
  subscribers: number;
  /** One storm event (check-in or check-out) every this many ms, paced; sequential if slower. */
  eventMs: number;
  /** W1 autocannon connections (50 in `npm run bench`). */
  connections: number;
  /** Requests per connection in each measured round. */
  requests: number;
  /** Measured rounds idle (before), under the storm, and idle (after). */
  rounds: number;
}

export interface W1StormResult {
  idle: Summary;
  storm: Summary;
  /** Median W1 p95 under the storm ÷ median W1 p95 idle (before and after). */
  ratio: number;
  subscribers: number;
  groups: number;
  events: number;
  stormSeconds: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  bad: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Storm events, paced one per `eventMs` until `stop()`; resolves with how many were sent. */
function drive(sys: System, t: BenchTenant, eventMs: number) {
  let running = true;
  let sent = 0;
  const done = (async () => {
    const start = performance.now();
    while (running) {
      const wait = start + sent * eventMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (!running) break;
      await mutate(sys, t, mutationFor(sent));
      sent++;
    }
    return sent;
  })();
  return { stop: () => ((running = false), done) };
}

export async function w1BesideStorm(
  sys: System,
  target: { gateway: GatewayService; wsUrl: string },
  s: W1StormSettings,
  subscription: { query: string; check(data: unknown, t: BenchTenant): boolean },
): Promise<W1StormResult> {
  const ok = client(sys.gatewayUrl);
  const w1 = await seedDashboardTenant(ok, mintToken('super_admin'), 19);
  const w1Target = fixed(sys.gatewayUrl, DASHBOARD, w1.token, (d: { libraries?: unknown[] }) => (d.libraries?.length ? null : 'no libraries'));
  const storm = await setUpTenant(sys, 'bench-storm', s.subscribers, false);
  const measure = async (n: number) => {
    const out: RoundStats[] = [];
    for (let r = 0; r < n; r++) out.push(await round(w1Target, s.connections, s.requests));
    return out;
  };

  await round(w1Target, s.connections, 1); // warm-up
  const idleBefore = await measure(s.rounds);

  const pool = await openSubscribers({
    url: target.wsUrl,
    tokens: storm.tokens,
    query: subscription.query,
    variables: { id: storm.libraryId },
    count: s.subscribers,
    perConnection: 1,
    check: (d) => subscription.check(d, storm),
  });
  const deadline = Date.now() + 120_000;
  while (target.gateway.activeSubscriptions() < s.subscribers && Date.now() < deadline) await sleep(50);
  const groups = target.gateway.subscriptionGroups().groups;
  const driver = drive(sys, storm, s.eventMs);
  const stormStart = performance.now();
  await sleep(Math.min(2000, s.eventMs * 3)); // the storm is under way before W1 is measured
  const during = await measure(s.rounds);
  const events = await driver.stop();
  const stormSeconds = (performance.now() - stormStart) / 1000;

  const received = () => pool.subscribers.reduce((n, x) => n + x.times.length, 0);
  let last = -1,
    progressAt = Date.now();
  while (received() < s.subscribers * events && Date.now() - progressAt < 15_000) {
    if (received() !== last) [last, progressAt] = [received(), Date.now()];
    await sleep(50);
  }
  await sleep(1000); // late duplicates would arrive here
  let lost = 0,
    duplicates = 0,
    bad = 0;
  for (const x of pool.subscribers) {
    lost += Math.max(0, events - x.times.length);
    duplicates += Math.max(0, x.times.length - events);
    bad += x.bad + x.failures.length;
  }
  const total = received();
  await pool.dispose();
  if (events % 2 === 1) await mutate(sys, storm, 'checkOut');
  const closing = Date.now() + 60_000;
  while (target.gateway.activeSubscriptions() > 0 && Date.now() < closing) await sleep(50);

  const idleAfter = await measure(s.rounds);
  const idle = summarize([...idleBefore, ...idleAfter]);
  const stormSummary = summarize(during);
  return {
    idle,
    storm: stormSummary,
    ratio: stormSummary.p95.median / idle.p95.median,
    subscribers: s.subscribers,
    groups,
    events,
    stormSeconds,
    expected: s.subscribers * events,
    received: total,
    lost,
    duplicates,
    bad,
  };
}

const f1 = (n: number) => n.toFixed(1);

/** Plain text, pasteable into docs/performance.md. */
export function formatW1Storm(r: W1StormResult, s: W1StormSettings): string {
  const span = (x: Summary['p95']) => `${f1(x.median)} (${f1(x.min)}–${f1(x.max)})`;
  const lines: [string, string][] = [
    ['storm', `${r.subscribers} distinct-user subscribers of one library (${r.groups} groups), one event every ${s.eventMs} ms`],
    ['storm events / actual rate', `${r.events} in ${f1(r.stormSeconds)} s = ${(r.events / r.stormSeconds).toFixed(2)}/s`],
    ['storm deliveries expected / received', `${r.expected} / ${r.received}`],
    ['storm lost / duplicated / bad', `${r.lost} / ${r.duplicates} / ${r.bad}`],
    [
      'W1',
      `${s.connections} connections, ${s.requests} requests each per round, ${s.rounds} rounds idle before + ${s.rounds} after, ${s.rounds} under the storm`,
    ],
    ['W1 idle      req/s median / p50 / p95 median (min–max)', `${Math.round(r.idle.rps.median)} / ${f1(r.idle.p50)} / ${span(r.idle.p95)} ms`],
    ['W1 in storm  req/s median / p50 / p95 median (min–max)', `${Math.round(r.storm.rps.median)} / ${f1(r.storm.p50)} / ${span(r.storm.p95)} ms`],
    [
      'W1 errors idle / in storm',
      `${r.idle.errors} / ${r.storm.errors}${(r.idle.firstError ?? r.storm.firstError) ? ` (first: ${r.idle.firstError ?? r.storm.firstError})` : ''}`,
    ],
    ['W1 p95 in storm ÷ idle (target ≤ 1.5)', `${r.ratio.toFixed(2)} — ${r.ratio <= 1.5 ? 'met' : 'NOT met'}`],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  return `W1 beside a subscription storm\n${lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}`;
}
