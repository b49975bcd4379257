import type { RunningService } from '../core/server/subgraph-server';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { freePort } from '../scripts/chaos/ferret';
import { startFaultProxy, type FaultProxy } from '../scripts/chaos/proxy';
import * as billing from '../subgraphs/billing';
import { expectMasked } from './helpers/faults';
import { seedTenantData, type TenantData } from './helpers/fixtures';
import { startSystem, type System, type TestTenant } from './helpers/system';
import { connect, subscribe } from './helpers/ws';

// A second gateway whose billing is a subgraph we stop and restart on a fixed port,
// and whose student subgraph sits behind a proxy that can be made slow.
let sys: System;
let t: TestTenant;
let data: TenantData;
let billingPort: number;
let billingSvc: RunningService | undefined;
let studentProxy: FaultProxy;
let gw: GatewayService;

const startBilling = async () =>
  (billingSvc = await billing.createServer({ ...sys.config, port: billingPort, subgraphUrls: sys.subgraphUrls }, sys.db, { pubsub: sys.pubsub }));

async function gql(query: string, variables: Record<string, unknown> = {}, url = gw.url) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.ownerToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) }; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
}
const readyStatus = async (url: string) => (await fetch(url.replace('/graphql', '/ready'))).status;

const STUDENT_PAYMENTS = `query($id: ID!) { tenant { name } student(id: $id) { name payments { amount } } }`;

beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant('faults');
  data = await seedTenantData(sys, t);
  billingPort = await freePort();
  await startBilling();
  studentProxy = await startFaultProxy(sys.subgraphUrls.student);
  gw = await createGateway(
    { ...sys.config, subgraphTimeoutMs: 800, subgraphUrls: { ...sys.subgraphUrls, billing: billingSvc!.url, student: studentProxy.url } },
    { pubsub: sys.pubsub },
  );
}, 120_000);
afterAll(async () => {
  await gw?.stop();
  await billingSvc?.stop();
  await studentProxy?.close();
  await sys?.stop();
});

describe('a subgraph goes down and comes back', () => {
  it('answers what it can, masks the outage, and recovers without a gateway restart', async () => {
    const before = await gql(STUDENT_PAYMENTS, { id: data.studentId });
    expect(before.errors).toBeUndefined();
    expect(before.data.student.payments).toEqual([{ amount: 250000 }]);
    expect(await readyStatus(gw.url)).toBe(200);

    await billingSvc!.stop();
    const down = await gql(STUDENT_PAYMENTS, { id: data.studentId });
    expect(down.status).toBe(200);
    // Partial data: the tenant and student subgraphs still answer.
    expect(down.data).toEqual({ tenant: { name: 'Tenant faults' }, student: { name: 'Student faults', payments: null } });
    expectMasked(down.errors, 'SERVICE_UNAVAILABLE');
    // An operation that needs only billing fails cleanly; one that does not need it succeeds.
    const onlyBilling = await gql(`query($id: ID!) { payment(id: $id) { amount } }`, { id: data.paymentId });
    expect(onlyBilling.data).toEqual({ payment: null });
    expectMasked(onlyBilling.errors, 'SERVICE_UNAVAILABLE');
    expect((await gql(`{ libraries { name } }`)).errors).toBeUndefined();
    expect(await readyStatus(gw.url)).toBe(503);

    await startBilling();
    const back = await gql(STUDENT_PAYMENTS, { id: data.studentId });
    expect(back.errors).toBeUndefined();
    expect(back.data.student.payments).toEqual([{ amount: 250000 }]);
    expect(await readyStatus(gw.url)).toBe(200);
  });
});

describe('a slow subgraph', () => {
  afterEach(() => void (studentProxy.delayMs = 0));

  it('times out after SUBGRAPH_TIMEOUT_MS with partial data, then recovers', async () => {
    studentProxy.delayMs = 3000;
    const started = Date.now();
    const slow = await gql(`query($id: ID!) { tenant { name } student(id: $id) { name } }`, { id: data.studentId });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(slow.data).toEqual({ tenant: { name: 'Tenant faults' }, student: null });
    expectMasked(slow.errors, 'SERVICE_UNAVAILABLE');

    studentProxy.delayMs = 0;
    const fast = await gql(`query($id: ID!) { student(id: $id) { name } }`, { id: data.studentId });
    expect(fast).toEqual({ status: 200, data: { student: { name: 'Student faults' } } });
  });

  it('a 503 from in front of the subgraph is SERVICE_UNAVAILABLE too', async () => {
    studentProxy.down = true;
    try {
      const res = await gql(`query($id: ID!) { student(id: $id) { name } }`, { id: data.studentId });
      expect(res.data).toEqual({ student: null });
      expectMasked(res.errors, 'SERVICE_UNAVAILABLE');
    } finally {
      studentProxy.down = false;
    }
  });
});

describe('health endpoints', () => {
  it('/health and /ready on the gateway and every subgraph', async () => {
    for (const url of [sys.gatewayUrl, ...Object.values(sys.subgraphUrls)]) {
      expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
      expect(await readyStatus(url)).toBe(200);
    }
    const body = await (await fetch(gw.url.replace('/graphql', '/ready'))).json();
    expect(body).toEqual({ status: 'ready' });
  });
});

describe('graceful shutdown (what SIGTERM runs)', () => {
  it('finishes in-flight requests, completes subscriptions, then refuses new connections', async () => {
    const extra = await createGateway({ ...sys.config, subgraphUrls: { ...sys.subgraphUrls, student: studentProxy.url } }, { pubsub: sys.pubsub });
    const ws = connect(extra.url.replace(/^http/, 'ws'), { authorization: `Bearer ${t.ownerToken}` });
    const sub = subscribe(ws.client, `subscription { occupancyChanged { name } }`);
    for (let i = 0; i < 50 && extra.activeSubscriptions() < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(extra.activeSubscriptions()).toBe(1);

    studentProxy.delayMs = 500;
    const inFlight = gql(`query($id: ID!) { student(id: $id) { name } }`, { id: data.studentId }, extra.url);
    await new Promise((r) => setTimeout(r, 150));
    const stopped = extra.stop();
    expect(await inFlight).toEqual({ status: 200, data: { student: { name: 'Student faults' } } });
    await sub.completed;
    await stopped;
    studentProxy.delayMs = 0;
    expect(sub.errors).toEqual([]);
    await expect(fetch(extra.url, { method: 'POST' })).rejects.toThrow();
  });
});
