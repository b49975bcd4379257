import { Writable } from 'node:stream';
import { createLogger } from '../core/logger';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { testSupergraph } from './helpers/supergraph';
import { startSystem, TEST_PASSWORD, type System, type TestTenant } from './helpers/system';
import { connect, subscribe } from './helpers/ws';

// Observability of issue #7: Prometheus metrics per service, structured logs
// without secrets. Traces (real processes, the OpenTelemetry instrumentations): tests/tracing.test.ts.
let sys: System;
let t: TestTenant;
/** A gateway whose JSON log lines the tests read. */
let logged: GatewayService;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant('obs');
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  logged = await createGateway(
    { ...sys.config, logLevel: 'info', subgraphUrls: sys.subgraphUrls },
    { supergraphSdl: await testSupergraph(), pubsub: sys.pubsub, logger: createLogger('gateway', 'info', sink) },
  );
}, 60_000);
afterAll(async () => {
  await logged?.stop();
  await sys?.stop();
});

const metricsOf = async (graphqlUrl: string) => (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
/** The value of one sample line, e.g. `graphql_requests_total{...} 3`. */
const sample = (text: string, name: string, labels: Record<string, string>) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').pop()) : undefined;
};

describe('Prometheus /metrics', () => {
  it('counts gateway requests and errors by operation and code, with latency histograms per operation and subgraph', async () => {
    for (let i = 0; i < 3; i++) await sys.ok(`query ObsLibraries { libraries { id } }`, {}, { token: t.ownerToken });
    await sys.gql(`query ObsDenied { libraries { id } }`, {}, { token: 'forged' });
    const text = await metricsOf(sys.gatewayUrl);
    expect(sample(text, 'graphql_requests_total', { service: 'gateway', operation: 'ObsLibraries', code: 'OK' })).toBe(3);
    expect(sample(text, 'graphql_requests_total', { operation: 'ObsDenied', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(sample(text, 'graphql_errors_total', { operation: 'ObsDenied', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(sample(text, 'graphql_request_duration_seconds_count', { operation: 'ObsLibraries' })).toBe(3);
    expect(sample(text, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'tenant', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
    expect(text).toContain('rate_limit_rejections_total');
    expect(text).toMatch(/^graphql_active_subscriptions\{service="gateway"\} 0$/m);
  });

  it('each subgraph has its own registry with its requests and database pool', async () => {
    const text = await metricsOf(sys.subgraphUrls.tenant);
    expect(sample(text, 'graphql_requests_total', { service: 'tenant', operation: 'ObsLibraries', code: 'OK' })).toBe(3);
    expect(text).not.toContain('service="gateway"');
    expect(sample(text, 'db_pool_connections', { service: 'tenant' })).toBeGreaterThanOrEqual(0);
    expect(text).toContain('db_pool_connections_in_use');
    const student = await metricsOf(sys.subgraphUrls.student);
    expect(student).not.toContain('operation="ObsLibraries"');
  });

  it('operation names cannot blow up label cardinality', async () => {
    await sys.gql(`query ${'X'.repeat(80)} { __typename }`);
    expect(await metricsOf(sys.gatewayUrl)).toContain('operation="(invalid)"');
  });

  it('reports open subscriptions', async () => {
    const { client } = connect(sys.wsUrl, { authorization: `Bearer ${t.ownerToken}` });
    const sub = subscribe(client, `subscription { notificationReceived { id } }`);
    try {
      let value: number | undefined;
      for (let i = 0; i < 50 && value !== 1; i++) {
        await new Promise((r) => setTimeout(r, 50));
        value = sample(await metricsOf(sys.gatewayUrl), 'graphql_active_subscriptions', { service: 'gateway' });
      }
      expect(value).toBe(1);
    } finally {
      sub.unsubscribe();
      await client.dispose();
    }
  });
});

describe('structured logs', () => {
  it('one line per operation with request id, tenant, user, operation, duration and code', async () => {
    const res = await fetch(logged.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.ownerToken}`, 'x-request-id': 'obs-req-1' },
      body: JSON.stringify({ query: 'query ObsLogged { libraries { id } }' }),
    });
    expect(res.status).toBe(200);
    const line = lines.find((l) => l.requestId === 'obs-req-1');
    expect(line).toMatchObject({ name: 'gateway', msg: 'graphql request', tenant: 'obs', operation: 'ObsLogged', code: 'OK', status: 200 });
    expect(typeof line!.user).toBe('string');
    expect(typeof line!.durationMs).toBe('number');
  });

  it('failed operations log their error code; no passwords, tokens or phones reach the log', async () => {
    const LOGIN = `mutation ObsLogin($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`;
    const post = (body: unknown, id: string) =>
      fetch(logged.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify(body) }).then(
        (r) => r.json() as Promise<{ data: { login: { accessToken: string; refreshToken: string } } }>,
      );
    await post({ query: LOGIN, variables: { i: { email: t.ownerEmail, password: 'wrong-Secret-123', tenant: t.slug } } }, 'obs-req-2');
    const ok = await post({ query: LOGIN, variables: { i: { email: t.ownerEmail, password: TEST_PASSWORD, tenant: t.slug } } }, 'obs-req-3');
    expect(lines.find((l) => l.requestId === 'obs-req-2')).toMatchObject({ operation: 'ObsLogin', code: 'UNAUTHENTICATED', codes: ['UNAUTHENTICATED'] });
    const all = JSON.stringify(lines);
    for (const secret of ['wrong-Secret-123', TEST_PASSWORD, ok.data.login.accessToken, ok.data.login.refreshToken, t.ownerToken]) {
      expect(all).not.toContain(secret);
    }
    // Redaction of known keys, wherever a log call puts them.
    const captured: string[] = [];
    const log = createLogger(
      'x',
      'info',
      new Writable({
        write(c, _e, done) {
          captured.push(String(c));
          done();
        },
      }),
    );
    log.info(
      {
        password: 'p4ss',
        phone: '9876543210',
        input: { parentPhone: '9123456789', token: 'tok', accessToken: 'acc' },
        headers: { authorization: 'Bearer abc' },
      },
      'x',
    );
    expect(captured.join('')).not.toMatch(/p4ss|9876543210|9123456789|"tok"|"acc"|Bearer abc/);
  });
});
