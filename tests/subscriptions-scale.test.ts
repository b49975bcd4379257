import { randomBytes } from 'node:crypto';
import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { RedisPubSub } from '../core/pubsub';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { testSupergraph } from './helpers/supergraph';
import { ensureRedis } from './helpers/redis';
import { startSystem, type System, type TestTenant } from './helpers/system';
import { connect, sleep, subscribe } from './helpers/ws';

const OCCUPANCY = `subscription($id: ID) { occupancyChanged(libraryId: $id) { name occupancy { occupied } } }`;

async function tenantWithStudent(sys: System, slug: string) {
  const t = await sys.createTenant(slug);
  const lib = (await sys.ok(`mutation { createLibrary(input: { name: "Hall ${slug}", capacity: 20 }) { id } }`, {}, { token: t.ownerToken })).createLibrary.id;
  const st = await sys.ok(
    `mutation($l: ID!) { createStudent(input: { name: "Asha", phone: "9876543210", libraryId: $l }) { id } }`,
    { l: lib },
    { token: t.ownerToken },
  );
  return { t, lib, studentId: st.createStudent.id as string };
}
const checkIn = (sys: System, t: TestTenant, id: string) => sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: id }, { token: t.ownerToken });

describe('Redis pub/sub with two gateway instances', () => {
  let sys: System;
  let gateway2: GatewayService;
  let redis: Awaited<ReturnType<typeof ensureRedis>>;
  const buses: RedisPubSub[] = [];

  beforeAll(async () => {
    redis = await ensureRedis();
    // A fresh key prefix keeps parallel runs on one Redis apart.
    const prefix = `test-${randomBytes(4).toString('hex')}:`;
    buses.push(new RedisPubSub(redis.url, prefix), new RedisPubSub(redis.url, prefix));
    sys = await startSystem({}, { pubsub: buses[0] });
    gateway2 = await createGateway({ ...sys.config, subgraphUrls: sys.subgraphUrls }, { supergraphSdl: await testSupergraph(), pubsub: buses[1] });
  });
  afterAll(async () => {
    await gateway2?.stop();
    await sys?.stop();
    for (const b of buses) await b.close();
    await redis?.stop();
  });

  it('one subscriber on each gateway: every event arrives exactly once at each', async () => {
    const { t, lib, studentId } = await tenantWithStudent(sys, 'redis-a');
    const c1 = connect(sys.wsUrl, { authorization: `Bearer ${t.ownerToken}` });
    const c2 = connect(gateway2.url.replace(/^http/, 'ws'), { authorization: `Bearer ${t.ownerToken}` });
    const s1 = subscribe(c1.client, OCCUPANCY, { id: lib });
    const s2 = subscribe(c2.client, OCCUPANCY, { id: lib });
    await sleep(300);
    await checkIn(sys, t, studentId);
    await s1.waitFor(1);
    await s2.waitFor(1);
    await sleep(500);
    expect(s1.results.map((r) => r.data)).toEqual([{ occupancyChanged: { name: 'Hall redis-a', occupancy: { occupied: 1 } } }]);
    expect(s2.results.map((r) => r.data)).toEqual(s1.results.map((r) => r.data));
    await c1.client.dispose();
    await c2.client.dispose();
  });
});

describe('Apollo Client and graceful shutdown', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(() => sys?.stop());

  it('@apollo/client with GraphQLWsLink receives occupancy updates', async () => {
    const { t, lib, studentId } = await tenantWithStudent(sys, 'apollo-c');
    const wsClient = createClient({ url: sys.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${t.ownerToken}` } });
    const client = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });
    const received: unknown[] = [];
    const sub = client.subscribe({ query: gql(OCCUPANCY), variables: { id: lib } }).subscribe({ next: (r) => received.push(r.data) });
    await sleep(300);
    await checkIn(sys, t, studentId);
    for (let i = 0; i < 50 && received.length === 0; i++) await sleep(100);
    expect(received).toEqual([{ occupancyChanged: { __typename: 'Library', name: 'Hall apollo-c', occupancy: { __typename: 'Occupancy', occupied: 1 } } }]);
    sub.unsubscribe();
    await wsClient.dispose();
  });

  it('a consumer that stops reading holds up nobody: the others get every event on time', async () => {
    const { t, lib, studentId } = await tenantWithStudent(sys, 'slow-c');
    // A raw graphql-transport-ws socket that subscribes and then stops reading.
    const raw = new WebSocket(sys.wsUrl, 'graphql-transport-ws');
    const rawMessages: string[] = [];
    raw.on('message', (m) => rawMessages.push(String(m)));
    await new Promise((r) => raw.once('open', r));
    raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.ownerToken}` } }));
    for (let i = 0; i < 50 && !rawMessages.some((m) => m.includes('connection_ack')); i++) await sleep(20);
    raw.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: OCCUPANCY, variables: { id: lib } } }));
    const fast = connect(sys.wsUrl, { authorization: `Bearer ${t.ownerToken}` });
    const s = subscribe(fast.client, OCCUPANCY, { id: lib });
    await sleep(300);
    raw.pause();
    const received = rawMessages.length;
    const events = 12;
    for (let i = 0; i < events; i++) {
      await sys.ok(`mutation($s: ID!) { ${i % 2 ? 'checkOut' : 'checkIn'}(studentId: $s) { id } }`, { s: studentId }, { token: t.ownerToken });
    }
    await s.waitFor(events, 5000); // within 5 s of the last mutation, while the other socket is stalled
    // Payloads are fetched per event, so each shows the state at fetch time; the last one is the final state.
    expect(s.results).toHaveLength(events);
    expect(s.results.at(-1)?.data?.occupancyChanged.occupancy.occupied).toBe(0);
    expect(rawMessages.length).toBe(received); // paused: it read nothing meanwhile
    // Once it reads again it gets its events (bounded buffer, newest kept), not an error.
    raw.resume();
    for (let i = 0; i < 100 && rawMessages.filter((m) => m.includes('"next"')).length < events; i++) await sleep(20);
    expect(rawMessages.filter((m) => m.includes('"next"')).length).toBe(events);
    const rawClosed = new Promise((r) => raw.once('close', r));
    raw.close();
    await rawClosed;
    await fast.client.dispose();
    for (let i = 0; i < 50 && sys.gateway.activeSubscriptions() > 0; i++) await sleep(20);
    expect(sys.gateway.activeSubscriptions()).toBe(0);
  });

  it('stopping the gateway completes open subscriptions before closing', async () => {
    const { t, lib } = await tenantWithStudent(sys, 'shutdown');
    const listenersBefore = sys.pubsub.listenerCount();
    const c = connect(sys.wsUrl, { authorization: `Bearer ${t.ownerToken}` });
    const s = subscribe(c.client, OCCUPANCY, { id: lib });
    await sleep(300);
    expect(sys.gateway.activeSubscriptions()).toBe(1);
    expect(sys.pubsub.listenerCount()).toBe(listenersBefore + 1);
    const order: string[] = [];
    void s.completed.then(() => order.push('complete'));
    void c.closed.then(() => order.push('closed'));
    await sys.gateway.stop();
    await c.closed;
    await sleep(50);
    expect(order).toEqual(['complete', 'closed']);
    expect(s.errors).toEqual([]);
    // The subscription's listener and the gateway's tenant-status and tenant-changed (modules) listeners are gone.
    expect(sys.pubsub.listenerCount()).toBe(listenersBefore - 2);
  });
});
