import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createServer as createGateway, type GatewayService } from '../../gateway';
import { composeSupergraph, printSubgraphSdls } from '../schema-tools';
import { startSystem, type System } from '../../tests/helpers/system';
import { mutate, mutationFor, setUpTenant, type BenchTenant } from './fixture';
import { formatComparison, formatRound, percentiles, type RoundResult } from './stats';
import { SubscriberProcess } from './subscriber-client';
import { JWT_SECRET } from './perf/client';
import { formatW1Storm, w1BesideStorm, type W1StormResult } from './w1-storm';

/**
 * `npm run bench:subscriptions`: graphql-ws subscribers on their library's
 * occupancy, each a distinct user of its tenant (roles mixed), while check-ins and
 * check-outs go through HTTP; counts every (event, subscriber) delivery and its
 * latency. Each round runs on a gateway with multiplexing on and on one with it off
 * (SUBSCRIPTION_MULTIPLEX=off), both on the same subgraphs. Exits 1 if any delivery
 * is lost, duplicated or wrong. Gateways and subgraphs run in this process, the
 * viewers' graphql-ws clients in a child process (subscriber-process.ts), so client
 * work is not counted as server CPU and 10,000 sockets fit the descriptor limit.
 *
 * Rounds: each N of SUB_BENCH_SUBSCRIBERS is one tenant, N viewers, M sequential
 * mutations (the next sent when the previous answered); then the big round:
 * SUB_BENCH_BIG_TENANTS × SUB_BENCH_BIG_PER_TENANT viewers, every tenant one event
 * per SUB_BENCH_BIG_INTERVAL_MS for SUB_BENCH_BIG_SECONDS, its own events only.
 * Last, HTTP W1 idle vs beside a storm of SUB_BENCH_W1_SUBSCRIBERS (w1-storm.ts).
 */
const QUERY = 'subscription($id: ID) { occupancyChanged(libraryId: $id) { name occupancy { occupied free percent } } }';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const SETTINGS = {
  subscribers: env('SUB_BENCH_SUBSCRIBERS', '100,1000').split(',').filter(Boolean).map(Number),
  events: Number(env('SUB_BENCH_EVENTS', '50')),
  perConnection: Number(env('SUB_BENCH_PER_CONNECTION', '1')),
  /** Caps N×M per sequential round so N=1000 stays within the time budget (M is reduced, and says so). */
  maxDeliveries: Number(env('SUB_BENCH_MAX_DELIVERIES', '5000')),
  /** The big round (10,000 = 100 tenants × 100); SUB_BENCH_BIG=off skips it. */
  big: env('SUB_BENCH_BIG', 'on') !== 'off',
  bigTenants: Number(env('SUB_BENCH_BIG_TENANTS', '100')),
  bigPerTenant: Number(env('SUB_BENCH_BIG_PER_TENANT', '100')),
  bigSeconds: Number(env('SUB_BENCH_BIG_SECONDS', '60')),
  bigIntervalMs: Number(env('SUB_BENCH_BIG_INTERVAL_MS', '1000')),
  /** on: every round also with multiplexing off; off: multiplexing on only. */
  compare: env('SUB_BENCH_COMPARE', 'on') !== 'off',
  /** 1 = every viewer uses the tenant owner's token (the old bench: measures in-flight de-duplication, not fan-out). */
  sharedToken: env('SUB_BENCH_SHARED_TOKEN', '0') === '1',
  /** HTTP W1 idle vs during a subscription storm (w1-storm.ts); SUB_BENCH_W1=off skips it. */
  w1: env('SUB_BENCH_W1', 'on') !== 'off',
  w1Storm: {
    subscribers: Number(env('SUB_BENCH_W1_SUBSCRIBERS', '1000')),
    eventMs: Number(env('SUB_BENCH_W1_EVENT_MS', '500')),
    connections: Number(env('SUB_BENCH_W1_CONNECTIONS', '50')),
    requests: Number(env('SUB_BENCH_W1_REQUESTS', '20')),
    rounds: Number(env('SUB_BENCH_W1_ROUNDS', '3')),
  },
  /** Gives up waiting when no event arrived for this long. */
  idleMs: Number(env('SUB_BENCH_IDLE_MS', '30000')),
};

const positive = (n: number) => Number.isInteger(n) && n > 0;
const settingsError = (): string | null =>
  [
    ...SETTINGS.subscribers,
    SETTINGS.events,
    SETTINGS.perConnection,
    SETTINGS.maxDeliveries,
    SETTINGS.bigTenants,
    SETTINGS.bigPerTenant,
    SETTINGS.bigSeconds,
    SETTINGS.bigIntervalMs,
    ...Object.values(SETTINGS.w1Storm),
  ].every(positive)
    ? null
    : 'SUB_BENCH_* counts, seconds and intervals must be positive integers';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(what: string, done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Target {
  mode: 'multiplex on' | 'multiplex off';
  gateway: GatewayService;
  wsUrl: string;
}

interface RoundSpec {
  label: string;
  tenants: BenchTenant[];
  /** Viewers per tenant (≤ its tokens). */
  perTenant: number;
  /** Events per tenant. */
  events: number;
  /** 0: sequential (next mutation when the previous answered); otherwise one per tenant per interval. */
  intervalMs: number;
  note?: string;
}

/** One tenant's mutations: sequential, or paced (staggered so tenants do not all fire at once). */
async function drive(sys: System, t: BenchTenant, spec: RoundSpec, index: number, sends: number[], responses: number[]): Promise<void> {
  const start = performance.now() + (spec.intervalMs * index) / spec.tenants.length;
  for (let k = 0; k < spec.events; k++) {
    if (spec.intervalMs) {
      const wait = start + k * spec.intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    sends.push(performance.now());
    await mutate(sys, t, mutationFor(k));
    responses.push(performance.now());
  }
}

async function round(sys: System, target: Target, spec: RoundSpec, clients: SubscriberProcess): Promise<RoundResult> {
  const n = spec.tenants.length * spec.perTenant;
  const m = spec.events;
  const idle = process.memoryUsage().rss;
  const t0 = performance.now();
  const connections = await clients.open(
    spec.tenants.map((t) => ({
      url: target.wsUrl,
      tokens: t.tokens.slice(0, spec.perTenant),
      query: QUERY,
      variables: { id: t.libraryId },
      count: spec.perTenant,
      perConnection: SETTINGS.perConnection,
      libraryName: t.libraryName,
    })),
  );
  await waitFor('subscriptions to be active', () => target.gateway.activeSubscriptions() >= n, 120_000);
  const setupMs = performance.now() - t0;
  const groups = target.gateway.subscriptionGroups();
  const subscribed = process.memoryUsage().rss;
  let peak = subscribed;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);

  const sends = spec.tenants.map((): number[] => []);
  const responses = spec.tenants.map((): number[] => []);
  const cpu0 = process.cpuUsage();
  const clientCpu0 = clients.cpuMs;
  const first = performance.now();
  await Promise.all(spec.tenants.map((t, i) => drive(sys, t, spec, i, sends[i], responses[i])));
  let last = -1,
    progressAt = Date.now();
  while (clients.received < n * m && Date.now() - progressAt < SETTINGS.idleMs) {
    if (clients.received !== last) [last, progressAt] = [clients.received, Date.now()];
    await sleep(50);
  }
  const cpu = process.cpuUsage(cpu0);
  const clientCpuMs = clients.cpuMs - clientCpu0;
  const executions = target.gateway.subscriptionGroups().executions - groups.executions;
  await sleep(1000); // late duplicates would arrive here
  clearInterval(sampler);

  const pools = await clients.collect();
  const fromResponse: number[] = [];
  const fromSend: number[] = [];
  let total = 0,
    lost = 0,
    duplicates = 0,
    bad = 0,
    lastAt = first;
  pools.forEach((subscribers, i) => {
    for (const s of subscribers) {
      // The stream is ordered per subscriber: its j-th event answers its tenant's j-th mutation.
      s.times.slice(0, m).forEach((t, j) => {
        fromResponse.push(t - responses[i][j]);
        fromSend.push(t - sends[i][j]);
      });
      total += s.times.length;
      lost += Math.max(0, m - s.times.length);
      duplicates += Math.max(0, s.times.length - m);
      bad += s.bad + s.failures.length;
      for (const t of s.times) lastAt = Math.max(lastAt, t);
      if (s.failures.length) console.error(`  subscriber failure: ${s.failures[0]}`);
    }
  });
  await clients.dispose();
  await waitFor('subscriptions to close', () => target.gateway.activeSubscriptions() === 0, 60_000);
  // An odd M leaves the students checked in: check them out, unheard, for the next round.
  if (m % 2 === 1) for (const t of spec.tenants) await mutate(sys, t, 'checkOut');
  await sleep(500);

  return {
    label: `${spec.label}, ${target.mode}`,
    subscribers: n,
    tenants: spec.tenants.length,
    connections,
    events: m * spec.tenants.length,
    expected: n * m,
    received: total,
    lost,
    duplicates,
    bad,
    groups: groups.groups,
    executions,
    fromResponse: percentiles(fromResponse),
    fromSend: percentiles(fromSend),
    mutation: percentiles(responses.flatMap((r, i) => r.map((x, k) => x - sends[i][k]))),
    wallMs: lastAt - first,
    setupMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    clientCpuMs,
    rss: { idle, subscribed, peak },
    note: spec.note,
  };
}

function roles(tenants: BenchTenant[], perTenant: number): string {
  const count = { owner: 0, manager: 0, staff: 0 };
  for (const t of tenants) for (const role of t.roles.slice(0, perTenant)) count[role]++;
  return SETTINGS.sharedToken ? 'one shared owner token' : `${count.owner} owners, ${count.manager} managers, ${count.staff} staff (distinct users)`;
}

async function main(): Promise<number> {
  if (!process.env.MONGODB_URI) {
    console.error(
      'MONGODB_URI is not set. Point it at a MongoDB or FerretDB on loopback, e.g.\n' + '  MONGODB_URI=mongodb://127.0.0.1:27017/ npm run bench:subscriptions',
    );
    return 2;
  }
  if (settingsError()) {
    console.error(settingsError());
    return 2;
  }
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log(
    `settings: N=${SETTINGS.subscribers.join(',')} M=${SETTINGS.events} subscribers/connection=${SETTINGS.perConnection} max deliveries/round=${SETTINGS.maxDeliveries}` +
      ` big=${SETTINGS.big ? `${SETTINGS.bigTenants}×${SETTINGS.bigPerTenant}, one event/tenant/${SETTINGS.bigIntervalMs} ms for ${SETTINGS.bigSeconds} s` : 'off'}` +
      ` compare=${SETTINGS.compare ? 'on' : 'off'} tokens=${SETTINGS.sharedToken ? 'shared' : 'one per subscriber'}` +
      ` w1-storm=${SETTINGS.w1 ? `${SETTINGS.w1Storm.subscribers} subscribers, event/${SETTINGS.w1Storm.eventMs} ms, W1 ${SETTINGS.w1Storm.connections} conns × ${SETTINGS.w1Storm.requests} req × ${SETTINGS.w1Storm.rounds} rounds` : 'off'}`,
  );
  console.log('this process: gateways and the five subgraphs; the viewers: a child process; rate limits off (all clients are 127.0.0.1)\n');
  const started = performance.now();
  const biggest = Math.max(...SETTINGS.subscribers, SETTINGS.big ? SETTINGS.bigPerTenant : 0, SETTINGS.w1 ? SETTINGS.w1Storm.subscribers : 0);
  const sys = await startSystem({
    // W1's seed (perf/seed.ts) mints its tokens with the perf bench's key.
    JWT_SECRET,
    RATE_LIMIT_IP: '0',
    RATE_LIMIT_USER: '0',
    RATE_LIMIT_TENANT: '0',
    WS_MAX_SUBSCRIPTIONS_PER_TENANT: String(Math.max(biggest, 1) * 2),
    WS_MAX_SUBSCRIPTIONS_PER_USER: String(Math.max(biggest, 1) * 2),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(Math.max(SETTINGS.perConnection, 1)),
  });
  const targets: Target[] = [{ mode: 'multiplex on', gateway: sys.gateway, wsUrl: sys.wsUrl }];
  let off: GatewayService | undefined;
  if (SETTINGS.compare) {
    off = await createGateway(
      { ...sys.config, subgraphUrls: sys.subgraphUrls, subscriptions: { ...sys.config.subscriptions, multiplex: false } },
      { supergraphSdl: composeSupergraph(await printSubgraphSdls()), pubsub: sys.pubsub },
    );
    targets.push({ mode: 'multiplex off', gateway: off, wsUrl: off.url.replace(/^http/, 'ws') });
  }
  const results: RoundResult[] = [];
  const clients = SubscriberProcess.start();
  let w1: W1StormResult | undefined;
  try {
    const single = SETTINGS.subscribers.length ? await setUpTenant(sys, 'bench-one', Math.max(...SETTINGS.subscribers), SETTINGS.sharedToken) : undefined;
    const specs: RoundSpec[] = [];
    for (const n of SETTINGS.subscribers) {
      const m = Math.min(SETTINGS.events, Math.max(1, Math.floor(SETTINGS.maxDeliveries / n)));
      specs.push({
        label: `N = ${n}: one tenant, ${roles([single!], n)}, ${m} sequential check-ins/outs`,
        tenants: [single!],
        perTenant: n,
        events: m,
        intervalMs: 0,
        note: m < SETTINGS.events ? `M reduced from ${SETTINGS.events} to ${m}: at most ${SETTINGS.maxDeliveries} deliveries per round` : undefined,
      });
    }
    if (SETTINGS.big) {
      console.log(`setting up ${SETTINGS.bigTenants} tenants × ${SETTINGS.bigPerTenant} viewers…`);
      const tenants: BenchTenant[] = [];
      for (let i = 0; i < SETTINGS.bigTenants; i++) tenants.push(await setUpTenant(sys, `bench-t${i}`, SETTINGS.bigPerTenant, SETTINGS.sharedToken));
      const events = Math.max(1, Math.round((SETTINGS.bigSeconds * 1000) / SETTINGS.bigIntervalMs));
      specs.push({
        label: `N = ${tenants.length * SETTINGS.bigPerTenant}: ${tenants.length} tenants × ${SETTINGS.bigPerTenant}, ${roles(tenants, SETTINGS.bigPerTenant)}, one event per tenant every ${SETTINGS.bigIntervalMs} ms for ${SETTINGS.bigSeconds} s`,
        tenants,
        perTenant: SETTINGS.bigPerTenant,
        events,
        intervalMs: SETTINGS.bigIntervalMs,
      });
    }
    for (const spec of specs) {
      for (const target of targets) {
        const r = await round(sys, target, spec, clients);
        console.log(formatRound(r) + '\n');
        results.push(r);
      }
    }
    if (SETTINGS.compare) console.log(formatComparison(results) + '\n');
    if (SETTINGS.w1) {
      console.log('W1 idle, then beside a subscription storm (multiplex on), then idle again…');
      w1 = await w1BesideStorm(sys, targets[0], SETTINGS.w1Storm, {
        query: QUERY,
        check: (d, t) => (d as { occupancyChanged?: { name?: string } } | null)?.occupancyChanged?.name === t.libraryName,
      });
      console.log(formatW1Storm(w1, SETTINGS.w1Storm) + '\n');
    }
  } finally {
    clients.stop();
    await off?.stop();
    await sys.stop();
  }
  const failed =
    results.some((r) => r.lost > 0 || r.duplicates > 0 || r.bad > 0) ||
    (!!w1 && (w1.lost > 0 || w1.duplicates > 0 || w1.bad > 0 || w1.idle.errors > 0 || w1.storm.errors > 0));
  console.log(
    `total ${((performance.now() - started) / 1000).toFixed(1)} s — ${failed ? 'FAILED: events lost, duplicated or wrong, or W1 errors' : 'every event delivered exactly once'}`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code), // exit explicitly: pooled sockets would keep node alive
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
