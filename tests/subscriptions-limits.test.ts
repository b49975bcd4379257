import WebSocket from 'ws';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { testSupergraph } from './helpers/supergraph';
import { startSystem, type System, type TestTenant } from './helpers/system';
import { connect, sleep, subscribe, type Subscription, type WsConnection } from './helpers/ws';

// WebSocket limits (gateway/subscriptions/limits.ts): the HTTP rate budgets per IP,
// user and tenant spent by graphql-ws operations too, caps on open subscriptions
// per connection, user and tenant, a connection_init timeout and a message size limit.
let sys: System;
/** A second gateway on the same subgraphs with tiny rate budgets: IP 4, user 3, tenant 5 per minute. */
let limited: GatewayService;
const open: WsConnection[] = [];

const OCCUPANCY = `subscription { occupancyChanged { name } }`;
const TENANT = `{ tenant { slug } }`;

function ws(token: string, url = sys.wsUrl, ip?: string): WsConnection {
  const c = connect(url, { authorization: `Bearer ${token}` }, ip ? { headers: { 'x-forwarded-for': ip } } : {});
  open.push(c);
  return c;
}
const limitedWs = (token: string, ip: string) => ws(token, limited.url.replace(/^http/, 'ws'), ip);

/** Runs a query over the socket; resolves with its result or its error list. */
async function op(c: WsConnection, query = TENANT): Promise<Subscription> {
  const s = subscribe(c.client, query);
  await s.completed;
  return s;
}
/** The first GraphQL error of a refused operation. */
const refusal = (s: Subscription) => (s.errors[0] as { message: string; extensions: Record<string, unknown> }[] | undefined)?.[0];

/** A subscription the server refused, or accepted (and is then active). */
async function trySubscribe(c: WsConnection): Promise<Subscription> {
  const s = subscribe(c.client, OCCUPANCY);
  await Promise.race([s.completed, sleep(300)]);
  return s;
}

beforeAll(async () => {
  sys = await startSystem({
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
    WS_MAX_SUBSCRIPTIONS_PER_USER: '4',
    WS_MAX_SUBSCRIPTIONS_PER_TENANT: '6',
    WS_CONNECTION_INIT_TIMEOUT_MS: '500',
    WS_MAX_PAYLOAD_BYTES: '4096',
    TRUST_PROXY: '1',
  });
  limited = await createGateway(
    { ...sys.config, subgraphUrls: sys.subgraphUrls, security: { ...sys.config.security, rateLimitIp: 4, rateLimitUser: 3, rateLimitTenant: 5 } },
    { supergraphSdl: await testSupergraph(), pubsub: sys.pubsub },
  );
});
afterAll(async () => {
  for (const c of open) await c.client.dispose();
  await limited?.stop();
  await sys?.stop();
});

describe('rate budgets (the same as HTTP), per operation', () => {
  let p1: TestTenant;
  let p2: TestTenant;
  beforeAll(async () => {
    p1 = await sys.createTenant('wsrl-p1');
    p2 = await sys.createTenant('wsrl-p2');
  });

  it('per IP: the fifth operation from one address is RATE_LIMITED with retryAfter; another address is not', async () => {
    const c1 = limitedWs(p1.ownerToken, '10.0.0.1'); // connection_init: 1
    expect((await op(c1)).results[0]?.data).toEqual({ tenant: { slug: 'wsrl-p1' } }); // 2
    const c2 = limitedWs(p2.ownerToken, '10.0.0.1'); // 3
    expect((await op(c2)).errors).toEqual([]); // 4
    const over = refusal(await op(c2));
    expect(over?.extensions).toMatchObject({ code: 'RATE_LIMITED', errorCode: 4029, scope: 'ip' });
    expect(over?.extensions.retryAfter).toBeGreaterThan(0);
    // Another address (a user with budget left: p2's owner has spent its 3).
    expect((await op(limitedWs(await sys.userToken(p2, 'staff'), '10.0.0.2'))).errors).toEqual([]);
  });

  it('per user: a subscribe over the user budget is refused, the user next door is not', async () => {
    const t = await sys.createTenant('wsrl-u');
    const c = limitedWs(t.ownerToken, '10.1.0.1'); // 1
    await op(c); // 2
    await op(c); // 3
    const over = await trySubscribe(c);
    expect(refusal(over)?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'user' });
    expect(over.results).toEqual([]);
    expect(limited.activeSubscriptions()).toBe(0);
    expect((await op(limitedWs(await sys.userToken(t, 'staff'), '10.1.0.2'))).errors).toEqual([]);
  });

  it('per tenant: operations and then new connections of the tenant are refused; other tenants are not', async () => {
    const t = await sys.createTenant('wsrl-t');
    const owner = limitedWs(t.ownerToken, '10.2.0.1'); // 1
    await op(owner); // 2
    await op(owner); // 3
    const manager = limitedWs(await sys.userToken(t, 'manager'), '10.2.0.2'); // 4
    await op(manager); // 5
    expect(refusal(await op(manager))?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'tenant' });
    const late = limitedWs(await sys.userToken(t, 'staff'), '10.2.0.3');
    expect((await late.closed).code).toBe(4429);
    expect((await op(limitedWs(await sys.userToken(p1, 'staff'), '10.2.0.4'))).errors).toEqual([]);
  });

  it('HTTP and WebSocket spend one budget', async () => {
    const t = await sys.createTenant('wsrl-h');
    for (let i = 0; i < 3; i++) {
      const r = await sys.gql(TENANT, {}, { url: limited.url, token: t.ownerToken, headers: { 'x-forwarded-for': `10.3.0.${i}` } });
      expect(r.status).toBe(200);
    }
    // The user's 3 requests per minute are spent over HTTP: the WebSocket connection is refused.
    expect((await limitedWs(t.ownerToken, '10.3.0.9').closed).code).toBe(4429);
  });
});

describe('open subscriptions per connection (3), user (4) and tenant (6)', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await sys.createTenant('wscap');
  });

  it('per connection: the fourth is LIMIT_EXCEEDED; a completed one frees its slot; refused ones take none', async () => {
    const c = ws(await sys.userToken(t, 'staff'));
    // Invalid variables are refused at subscribe (BAD_USER_INPUT), as over HTTP, and hold no slot.
    for (let i = 0; i < 4; i++) {
      const bad = subscribe(c.client, `subscription($id: ID) { occupancyChanged(libraryId: $id) { name } }`, { id: { not: 'an id' } });
      await bad.completed;
      expect(refusal(bad)?.extensions.code).toBe('BAD_USER_INPUT');
    }
    const subs = [await trySubscribe(c), await trySubscribe(c), await trySubscribe(c)];
    subs.forEach((s) => expect(s.errors).toEqual([]));
    const fourth = await trySubscribe(c);
    expect(refusal(fourth)?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', errorCode: 4003, scope: 'connection', max: 3 });
    subs[0].unsubscribe();
    await sleep(100);
    expect((await trySubscribe(c)).errors).toEqual([]);
    await c.client.dispose();
  });

  it('per user, across connections; closing a connection frees its slots', async () => {
    const user = await sys.userToken(t, 'staff');
    const c1 = ws(user);
    for (let i = 0; i < 3; i++) expect((await trySubscribe(c1)).errors).toEqual([]);
    const c2 = ws(user);
    expect((await trySubscribe(c2)).errors).toEqual([]);
    expect(refusal(await trySubscribe(c2))?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', scope: 'user', max: 4 });
    await c1.client.dispose();
    await sleep(200);
    expect((await trySubscribe(c2)).errors).toEqual([]);
    await c2.client.dispose();
  });

  it('per tenant, across users; queries are not counted', async () => {
    const t = await sys.createTenant('wscap-t', { plan: 'professional' });
    const users = [await sys.userToken(t, 'staff'), await sys.userToken(t, 'staff'), await sys.userToken(t, 'manager')];
    const conns = users.map((u) => ws(u));
    for (const c of conns) for (let i = 0; i < 2; i++) expect((await trySubscribe(c)).errors).toEqual([]);
    const other = ws(await sys.userToken(t, 'owner'));
    expect((await op(other)).errors).toEqual([]);
    expect(refusal(await trySubscribe(other))?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', scope: 'tenant', max: 6 });
    const elsewhere = await sys.createTenant('wscap-other');
    expect((await trySubscribe(ws(elsewhere.ownerToken))).errors).toEqual([]);
  });
});

describe('protocol limits', () => {
  it('a socket that never sends connection_init is closed with 4408 after the timeout', async () => {
    const raw = new WebSocket(sys.wsUrl, 'graphql-transport-ws');
    const started = Date.now();
    const closed = await new Promise<{ code: number; reason: string }>((r) => raw.once('close', (code, reason) => r({ code, reason: String(reason) })));
    expect(closed.code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('a message over WS_MAX_PAYLOAD_BYTES closes the socket with 1009; one under it is served', async () => {
    const t = await sys.createTenant('wssize');
    const raw = new WebSocket(sys.wsUrl, 'graphql-transport-ws');
    const messages: string[] = [];
    raw.on('message', (m) => messages.push(String(m)));
    await new Promise((r) => raw.once('open', r));
    raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.ownerToken}` } }));
    for (let i = 0; i < 100 && !messages.some((m) => m.includes('connection_ack')); i++) await sleep(20);
    // Padding in a comment: a legal query of about 3 KB, then one of about 5 KB.
    raw.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `# ${'x'.repeat(3000)}\n{ tenant { slug } }` } }));
    for (let i = 0; i < 100 && !messages.some((m) => m.includes('"next"')); i++) await sleep(20);
    expect(messages.find((m) => m.includes('"next"'))).toContain('wssize');
    const closed = new Promise<number>((r) => raw.once('close', (code) => r(code)));
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      raw.send(JSON.stringify({ id: '2', type: 'subscribe', payload: { query: `# ${'x'.repeat(5000)}\n{ tenant { slug } }` } }));
      expect(await closed).toBe(1009);
      await sleep(50);
      expect(consoleError).not.toHaveBeenCalled(); // a client's oversized message is logged as a warning, not as a server fault
    } finally {
      consoleError.mockRestore();
    }
  });
});
