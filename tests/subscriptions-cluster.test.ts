import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { signAccessToken } from '../core/auth/tokens';
import { loadConfig } from '../core/config';
import { projectRoot } from '../core/paths';
import type { TenantRole } from '../core/permissions/catalog';
import { DbManager } from '../core/tenancy/db';
import { Cluster } from '../scripts/chaos/cluster';
import { freePort, waitForPort } from '../scripts/chaos/ferret';
import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';
import { hashPassword } from '../subgraphs/tenant/auth.service';
import { userModel } from '../subgraphs/tenant/user.model';
import { ensureRedis } from './helpers/redis';
import { connect, sleep, subscribe, type Subscription, type WsConnection } from './helpers/ws';

/**
 * Scale-out of subscriptions with real processes, as deployed (`npm test` builds dist/
 * first): the five subgraphs and TWO gateway processes on one Redis. Subscribers (each a
 * distinct user) are spread over both gateways and mutations go through either; every
 * subscriber must get every event exactly once, in order per library, and each gateway
 * runs one payload execution per event for each of ITS groups (groups are per instance).
 */
jest.setTimeout(180_000);

type Occupancy = { occupancyChanged: { id: string; name: string; occupancy: { occupied: number } } };
const SEATS = 'subscription Seats($id: ID) { occupancyChanged(libraryId: $id) { id name occupancy { occupied } } }';
const PASSWORD = 'cluster-password-cluster';
const SLUG = 'cluster';

let cluster: Cluster;
let gateway2: ChildProcess;
let db: DbManager;
let redis: Awaited<ReturnType<typeof ensureRedis>>;
/** GraphQL endpoints of gateway 1 and gateway 2. */
const gateways: string[] = [];
/** The key both gateways verify access tokens with. */
let jwtKeys: Parameters<typeof signAccessToken>[1];

const gql = async (url: string, query: string, variables: Record<string, unknown>, token?: string) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
  if (body.errors?.length) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
};

/** One sample of a gateway's /metrics (no labels besides `service`). */
async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} missing from /metrics`);
  return Number(line.split(' ').pop());
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  if (!existsSync(path.join(projectRoot(), 'dist/gateway/main.js'))) throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
  redis = await ensureRedis();
  const prefix = `t${randomBytes(4).toString('hex')}_`;
  const base = {
    NODE_ENV: 'test',
    MONGODB_URI: process.env.MONGODB_URI!,
    DB_PREFIX: prefix,
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'fatal',
    REDIS_URL: redis.url,
    RATE_LIMIT_IP: '0',
    RATE_LIMIT_USER: '0',
    RATE_LIMIT_TENANT: '0',
    SUBGRAPH_TIMEOUT_MS: '10000',
  };
  cluster = new Cluster(base);
  db = await DbManager.connect(process.env.MONGODB_URI!, prefix);
  await upsertPlatformUser(db, { email: 'cluster@studyspot.test', name: 'Cluster', password: PASSWORD, role: 'super_admin' });
  await cluster.start();
  // The second gateway: the same build and settings, its own process and port, the same Redis.
  const port = await freePort();
  const urls = Object.fromEntries(
    (Object.keys(cluster.ports) as (keyof typeof cluster.ports)[])
      .filter((n) => n !== 'gateway')
      .map((n) => [`${n.toUpperCase()}_SUBGRAPH_URL`, `http://127.0.0.1:${cluster.ports[n]}/graphql`]),
  );
  gateway2 = spawn(process.execPath, [path.join(projectRoot(), 'dist/gateway/main.js')], {
    env: { ...process.env, ...base, ...urls, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const died = new Promise<never>((_, reject) => gateway2.once('exit', (code) => reject(new Error(`gateway 2 exited with ${code} during start-up`))));
  await Promise.race([waitForPort(port, 60_000), died]);
  gateways.push(cluster.gatewayUrl, `http://127.0.0.1:${port}/graphql`);
  jwtKeys = loadConfig('gateway', { ...process.env, ...base }).security.jwtKeys;
});

afterAll(async () => {
  if (gateway2 && gateway2.exitCode === null) {
    const exited = new Promise((r) => gateway2.once('exit', r));
    gateway2.kill('SIGTERM');
    await exited;
  }
  await cluster?.stop();
  await db?.close();
  await redis?.stop();
});

it('two gateway processes on one Redis: every subscriber on either gets every event exactly once, in order per library, wherever the mutation was sent; each gateway executes once per event for each of its groups', async () => {
  const [gw1] = gateways;
  const login = (email: string, tenant?: string) =>
    gql(gw1, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { email, password: PASSWORD, tenant } }).then(
      (d) => d.login.accessToken as string,
    );
  const superToken = await login('cluster@studyspot.test');
  const created = await gql(
    gw1,
    'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }',
    { i: { name: 'Cluster', slug: SLUG, plan: 'enterprise', owner: { email: `owner@${SLUG}.test`, name: 'Owner', password: PASSWORD } } },
    superToken,
  );
  const tenantId: string = created.createTenant.id;
  const owner = await login(`owner@${SLUG}.test`, SLUG);
  const library = async (name: string) =>
    (await gql(gw1, 'mutation($n: String!) { createLibrary(input: { name: $n, capacity: 20 }) { id } }', { n: name }, owner)).createLibrary.id as string;
  const libA = await library('Hall A');
  const libB = await library('Hall B');
  // Six students, alternately in A and B: check-in k is in A when k is even.
  const students: { id: string; lib: string }[] = [];
  for (let k = 0; k < 6; k++) {
    const lib = k % 2 ? libB : libA;
    const s = await gql(gw1, 'mutation($l: ID!) { createStudent(input: { name: "Asha", phone: "9876543210", libraryId: $l }) { id } }', { l: lib }, owner);
    students.push({ id: s.createStudent.id, lib });
  }

  // Sixteen viewers, each a distinct user with their own token and socket. Subscriber i is on
  // gateway i % 2, is staff or manager, and watches library A or every library: on each gateway
  // 8 subscribers in 4 groups (role × variables) of 2.
  const passwordHash = await hashPassword(PASSWORD);
  const roleOf = (i: number): TenantRole => ((i >> 1) % 2 ? 'manager' : 'staff');
  const watchesA = (i: number) => (i >> 2) % 2 === 0;
  const users = await userModel(db.tenant(db.tenantDbName(SLUG))).insertMany(
    Array.from({ length: 16 }, (_, i) => ({ email: `viewer-${i}@${SLUG}.test`, name: `Viewer ${i}`, passwordHash, role: roleOf(i), status: 'active' })),
  );
  const sockets: WsConnection[] = [];
  const subs: { i: number; gateway: number; watchesA: boolean; sub: Subscription<Occupancy> }[] = users.map((u, i) => {
    const token = signAccessToken({ sub: u._id.toHexString(), role: roleOf(i), tid: tenantId, tsl: SLUG }, jwtKeys, 3600);
    const ws = connect(gateways[i % 2].replace(/^http/, 'ws'), { authorization: `Bearer ${token}` });
    sockets.push(ws);
    return { i, gateway: i % 2, watchesA: watchesA(i), sub: subscribe<Occupancy>(ws.client, SEATS, watchesA(i) ? { id: libA } : {}) };
  });
  for (const url of gateways) {
    await until(
      `8 subscriptions in 4 groups on ${url}`,
      async () => (await metric(url, 'graphql_active_subscriptions')) === 8 && (await metric(url, 'graphql_subscription_groups')) === 4,
    );
  }
  const executionsBefore = await Promise.all(gateways.map((u) => metric(u, 'graphql_subscription_executions_total')));

  const expected = (s: (typeof subs)[number], events: { lib: string; occupied: number }[]) =>
    events
      .filter((e) => !s.watchesA || e.lib === libA)
      .map((e) => ({
        data: { occupancyChanged: { id: e.lib, name: e.lib === libA ? 'Hall A' : 'Hall B', occupancy: { occupied: e.occupied } } },
      }));

  // 1. Six check-ins, one at a time, sent alternately to gateway 1 and gateway 2; each is
  // awaited by every subscriber before the next, so each payload's occupancy is exact.
  const events: { lib: string; occupied: number }[] = [];
  const occupied = new Map([
    [libA, 0],
    [libB, 0],
  ]);
  for (let k = 0; k < students.length; k++) {
    const { id, lib } = students[k];
    await gql(gateways[k % 2], 'mutation($s: ID!) { checkIn(studentId: $s) { id } }', { s: id }, owner);
    occupied.set(lib, occupied.get(lib)! + 1);
    events.push({ lib, occupied: occupied.get(lib)! });
    for (const s of subs) await s.sub.waitFor(expected(s, events).length, 20_000);
  }
  for (const s of subs) expect({ i: s.i, got: s.sub.results }).toEqual({ i: s.i, got: expected(s, events) });

  // 2. A burst: the six check-outs at once, half through each gateway.
  await Promise.all(students.map(({ id }, k) => gql(gateways[k % 2], 'mutation($s: ID!) { checkOut(studentId: $s) { id } }', { s: id }, owner)));
  const total = (s: (typeof subs)[number]) => expected(s, events).length + (s.watchesA ? 3 : 6);
  for (const s of subs) await s.sub.waitFor(total(s), 30_000);
  await sleep(1500); // a duplicate (e.g. an event relayed by both gateways) would arrive by now
  for (const s of subs) {
    expect({ i: s.i, count: s.sub.results.length, errors: s.sub.errors }).toEqual({ i: s.i, count: total(s), errors: [] });
    expect(s.sub.results.every((r) => !r.errors)).toBe(true);
    const burst = s.sub.results.slice(expected(s, events).length).map((r) => r.data!.occupancyChanged);
    if (s.watchesA) expect(burst.every((p) => p.id === libA)).toBe(true);
    // Per library: payloads are read in publish order, so occupancy only falls, and ends at 0.
    for (const lib of [libA, libB]) {
      const seen = burst.filter((p) => p.id === lib).map((p) => p.occupancy.occupied);
      if (s.watchesA && lib === libB) continue;
      expect(seen).toHaveLength(3);
      expect([...seen].sort((a, b) => b - a)).toEqual(seen);
      expect(seen.at(-1)).toBe(0);
    }
  }

  // Per gateway: the 2 groups watching A ran for A's 6 events, the 2 watching all for all 12:
  // 36 executions each — half of one per subscriber (72), and no gateway ran the other's groups.
  const executionsAfter = await Promise.all(gateways.map((u) => metric(u, 'graphql_subscription_executions_total')));
  expect(executionsAfter.map((n, g) => n - executionsBefore[g])).toEqual([36, 36]);

  // Leaving releases the groups on both instances.
  await Promise.all(sockets.map(async (s) => s.client.dispose()));
  for (const url of gateways) {
    await until(
      `groups released on ${url}`,
      async () => (await metric(url, 'graphql_subscription_groups')) === 0 && (await metric(url, 'graphql_active_subscriptions')) === 0,
    );
  }
});
