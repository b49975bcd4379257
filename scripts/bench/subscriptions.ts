import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startSystem } from '../../tests/helpers/system';
import { LIBRARY, mutate, mutationFor, setUp, type Fixture } from './fixture';
import { formatRound, percentiles, type RoundResult } from './stats';
import { openSubscribers } from './subscribers';

/**
 * `npm run bench:subscriptions`: N graphql-ws subscribers on one library's
 * occupancy, M sequential check-ins/check-outs over HTTP, then counts every
 * (event, subscriber) delivery and its latency. Exits 1 if any is lost,
 * duplicated or wrong. Everything (clients, gateway, subgraphs) runs in this process.
 */
const QUERY = 'subscription($id: ID) { occupancyChanged(libraryId: $id) { name occupancy { occupied free percent } } }';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const SETTINGS = {
  subscribers: env('SUB_BENCH_SUBSCRIBERS', '100,1000').split(',').map(Number),
  events: Number(env('SUB_BENCH_EVENTS', '50')),
  perConnection: Number(env('SUB_BENCH_PER_CONNECTION', '1')),
  /** Caps N×M per round so N=1000 stays within the time budget (M is reduced, and says so). */
  maxDeliveries: Number(env('SUB_BENCH_MAX_DELIVERIES', '5000')),
  /** Gives up waiting when no event arrived for this long. */
  idleMs: Number(env('SUB_BENCH_IDLE_MS', '30000')),
};

const positive = (n: number) => Number.isInteger(n) && n > 0;
const settingsError = (): string | null =>
  [...SETTINGS.subscribers, SETTINGS.events, SETTINGS.perConnection, SETTINGS.maxDeliveries].every(positive)
    ? null : 'SUB_BENCH_SUBSCRIBERS, SUB_BENCH_EVENTS, SUB_BENCH_PER_CONNECTION and SUB_BENCH_MAX_DELIVERIES must be positive integers';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(what: string, done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function round(f: Fixture, n: number): Promise<RoundResult> {
  const m = Math.min(SETTINGS.events, Math.floor(SETTINGS.maxDeliveries / n));
  const note = m < SETTINGS.events ? `M reduced from ${SETTINGS.events} to ${m}: at most ${SETTINGS.maxDeliveries} deliveries per round` : undefined;
  const idle = process.memoryUsage().rss;
  const t0 = performance.now();
  const pool = await openSubscribers({
    url: f.sys.wsUrl, token: f.tenant.ownerToken, query: QUERY, variables: { id: f.libraryId },
    count: n, perConnection: SETTINGS.perConnection,
    check: (d) => (d as { occupancyChanged?: { name?: string } } | null)?.occupancyChanged?.name === LIBRARY,
  });
  await waitFor('subscriptions to be active', () => f.sys.gateway.activeSubscriptions() >= n, 60_000);
  const setupMs = performance.now() - t0;
  const subscribed = process.memoryUsage().rss;
  let peak = subscribed;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);

  // Sequential: each mutation is sent once the previous response arrived.
  const sends: number[] = [];
  const responses: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < m; k++) {
    const { field, student } = mutationFor(f, k, m);
    sends.push(performance.now());
    await mutate(f, field, student);
    responses.push(performance.now());
  }
  const received = () => pool.subscribers.reduce((sum, s) => sum + s.times.length, 0);
  let last = -1, progressAt = Date.now();
  while (received() < n * m && Date.now() - progressAt < SETTINGS.idleMs) {
    if (received() !== last) [last, progressAt] = [received(), Date.now()];
    await sleep(50);
  }
  const cpu = process.cpuUsage(cpu0);
  await sleep(1000); // late duplicates would arrive here
  clearInterval(sampler);

  const fromResponse: number[] = [];
  const fromSend: number[] = [];
  const total = received(); // before dispose(): no event lands while the loop below runs
  let lost = 0, duplicates = 0, bad = 0, lastAt = sends[0];
  for (const s of pool.subscribers) {
    // The stream is ordered per subscriber: its j-th event answers the j-th mutation.
    s.times.slice(0, m).forEach((t, j) => {
      fromResponse.push(t - responses[j]);
      fromSend.push(t - sends[j]);
    });
    lost += Math.max(0, m - s.times.length);
    duplicates += Math.max(0, s.times.length - m);
    bad += s.bad + s.failures.length;
    lastAt = Math.max(lastAt, ...s.times);
    if (s.failures.length) console.error(`  subscriber failure: ${s.failures[0]}`);
  }
  await pool.dispose();
  await waitFor('subscriptions to close', () => f.sys.gateway.activeSubscriptions() === 0, 30_000);
  if (m % 2 === 1) await mutate(f, 'checkOut', f.students[Math.ceil(m / 2) - 1]); // leave nobody checked in

  return {
    subscribers: n, connections: pool.connections, events: m, expected: n * m, received: total, lost, duplicates, bad,
    fromResponse: percentiles(fromResponse), fromSend: percentiles(fromSend),
    mutation: percentiles(responses.map((r, k) => r - sends[k])),
    wallMs: lastAt - sends[0], setupMs, cpuMs: (cpu.user + cpu.system) / 1000, rss: { idle, subscribed, peak }, note,
  };
}

async function main(): Promise<number> {
  if (!process.env.MONGODB_URI) {
    console.error('MONGODB_URI is not set. Point it at a MongoDB or FerretDB on loopback, e.g.\n' +
      '  MONGODB_URI=mongodb://127.0.0.1:27017/ npm run bench:subscriptions');
    return 2;
  }
  if (settingsError()) {
    console.error(settingsError());
    return 2;
  }
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log(`settings: N=${SETTINGS.subscribers.join(',')} M=${SETTINGS.events} subscribers/connection=${SETTINGS.perConnection} max deliveries/round=${SETTINGS.maxDeliveries}`);
  console.log('one process: clients, gateway and the five subgraphs share its event loop and RSS\n');
  const started = performance.now();
  const sys = await startSystem();
  let failed = false;
  try {
    const fixture = await setUp(sys, SETTINGS.events);
    for (const n of SETTINGS.subscribers) {
      const r = await round(fixture, n);
      console.log(formatRound(r) + '\n');
      failed ||= r.lost > 0 || r.duplicates > 0 || r.bad > 0;
    }
  } finally {
    await sys.stop();
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s — ${failed ? 'FAILED: events lost, duplicated or wrong' : 'every event delivered exactly once'}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code), // exit explicitly: pooled sockets would keep node alive
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
