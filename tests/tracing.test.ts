import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig } from '../core/config';
import { serviceNameOf, tracesEnabled } from '../core/observability/otel-env';
import { secretPathAttributes } from '../core/observability/sdk';
import { projectRoot } from '../core/paths';
import { DbManager } from '../core/tenancy/db';
import { freePort } from '../scripts/chaos/ferret';
import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';

/**
 * OpenTelemetry through the official SDK and instrumentations (core/observability/sdk.ts),
 * in real processes (`node dist/…/main.js`, built by `npm test`): the instrumentations
 * patch http, express, mongodb and graphql when Node's require loads them, which jest's
 * module registry bypasses. The services export OTLP/HTTP JSON to a receiver in this
 * test, which keeps every span in memory.
 */
jest.setTimeout(120_000);

/** One span as OTLP/JSON carries it, with its resource and instrumentation scope. */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: string;
}
const SERVER = 2;
const CLIENT = 3;

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number; arrayValue?: { values?: AnyValue[] } };
const valueOf = (v: AnyValue): unknown =>
  v.arrayValue ? (v.arrayValue.values ?? []).map(valueOf) : (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue)));
const attrs = (list: { key: string; value: AnyValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

const spans: OtlpSpan[] = [];
let receiver: http.Server;

/** A collector's OTLP/HTTP endpoint (JSON encoding): POST /v1/traces. */
function startReceiver(): Promise<string> {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).includes('json')) return void res.writeHead(400).end();
      for (const rs of JSON.parse(body).resourceSpans ?? []) {
        const resource = attrs(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              kind: s.kind,
              attributes: attrs(s.attributes),
              resource,
              scope: ss.scope?.name,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((r) => receiver.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`)));
}

interface Service {
  child: ChildProcess;
  port: number;
  logs: Record<string, unknown>[];
  exit: Promise<number | null>;
  stderr: () => string;
}

/**
 * Starts a service and waits for ITS "listening on" line: a port that answers could belong
 * to another test's process that picked the same free port (the suite runs in parallel).
 */
async function startService(entry: string, env: NodeJS.ProcessEnv): Promise<Service> {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let rest = '';
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((r) => (listening = r));
  child.stdout!.on('data', (chunk) => {
    const lines = (rest + String(chunk)).split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      if (l.startsWith('{')) logs.push(JSON.parse(l));
      else if (l.includes(` listening on http://127.0.0.1:${env.PORT}/`)) listening();
    }
  });
  child.stderr!.on('data', (c) => (stderr += c));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const died = exit.then((code) => {
    throw new Error(`${entry} exited with ${code} during start-up: ${stderr}`);
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${entry} did not listen within 60 s: ${stderr}`)), 60_000).unref());
  await Promise.race([ready, died, timeout]);
  return { child, port: Number(env.PORT), logs, exit, stderr: () => stderr };
}

const PASSWORD = 'tracing-password-tracing';
const EMAIL = 'tracing-admin@studyspot.test';
/** What a client that traces itself sends (W3C trace context). */
const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const LOGIN = 'mutation TracedLogin($i: LoginInput!) { login(input: $i) { accessToken } }';

const prefix = `t${randomBytes(4).toString('hex')}_`;
let db: DbManager;
let gateway: Service;
let tenant: Service;
const status: Record<string, number> = {};
const exitCodes: (number | null)[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(projectRoot(), 'dist/gateway/main.js'))) throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
  const endpoint = await startReceiver();
  db = await DbManager.connect(process.env.MONGODB_URI!, prefix);
  await upsertPlatformUser(db, { email: EMAIL, name: 'Tracing', password: PASSWORD, role: 'super_admin' });

  const [gatewayPort, tenantPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DB_PREFIX: prefix,
    JWT_SECRET: randomBytes(24).toString('hex'),
    ACCOUNT_KEYS: `k1:${randomBytes(24).toString('hex')}`,
    LOG_LEVEL: 'debug',
    RATE_LIMIT_IP: '0',
    RATE_LIMIT_USER: '0',
    RATE_LIMIT_TENANT: '0',
    TENANT_SUBGRAPH_URL: `http://127.0.0.1:${tenantPort}/graphql`,
    // The standard variables only: the SDK reads them itself.
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
    // What docker-compose.yml passes for the variables left unset: blanks count as unset.
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
    OTEL_TRACES_SAMPLER: '',
    OTEL_TRACES_SAMPLER_ARG: '',
    OTEL_PROPAGATORS: '',
    OTEL_EXPORTER_OTLP_HEADERS: '',
    OTEL_TRACES_EXPORTER: '',
    OTEL_SDK_DISABLED: '',
    OTEL_LOG_LEVEL: '',
    // Nothing is exported on a timer during the test: what arrives was flushed on SIGTERM.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
  };
  delete env.REDIS_URL; // one process each, in-process bus: no Redis spans to sort out
  delete env.OTEL_SERVICE_NAME;
  tenant = await startService('subgraphs/tenant/main.js', { ...env, PORT: String(tenantPort), OTEL_SERVICE_NAME: 'tenant-under-test' });
  gateway = await startService('gateway/main.js', { ...env, PORT: String(gatewayPort) });

  const url = `http://127.0.0.1:${gatewayPort}/graphql`;
  const post = (requestId: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
      body: JSON.stringify({ query: LOGIN, variables: { i: { email: EMAIL, password: PASSWORD } } }),
    });
  status.traced = (await post('traced-1', { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` })).status;
  status.untraced = (await post('traced-2')).status;
  // GraphQL over GET: the variables (personal data) travel in the URL.
  const search = new URLSearchParams({
    query: 'query TracedGet($skip: Boolean!) { __typename @skip(if: $skip) }',
    variables: JSON.stringify({ skip: false, email: 'private-person@example.com' }),
  });
  status.get = (await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true', 'x-request-id': 'traced-3' } })).status;
  status.health = (await fetch(url.replace('/graphql', '/health'))).status;

  // SIGTERM: each service stops, exports the spans it still holds, exits 0.
  for (const s of [gateway, tenant]) s.child.kill('SIGTERM');
  exitCodes.push(...(await Promise.all([gateway.exit, tenant.exit])));
});

afterAll(async () => {
  for (const s of [gateway, tenant]) if (s && s.child.exitCode === null) s.child.kill('SIGKILL');
  await db?.close();
  await new Promise((r) => receiver?.close(r));
});

const inTrace = (traceId: string) => spans.filter((s) => s.traceId === traceId);
const byId = (id: string | undefined) => spans.find((s) => s.spanId === id);
const ancestors = (s: OtlpSpan): OtlpSpan[] => {
  const p = byId(s.parentSpanId);
  return p ? [p, ...ancestors(p)] : [];
};
const serverSpan = (service: string, traceId: string) => inTrace(traceId).find((s) => s.kind === SERVER && s.resource['service.name'] === service);

describe('OpenTelemetry traces (official SDK and instrumentations, real processes)', () => {
  it('the services answered and exported their spans when stopped', () => {
    // On failure, say what the processes said (a flake here is otherwise unexplainable).
    const seen = { status, exitCodes, spans: spans.length, gatewayStderr: gateway.stderr().slice(-2000), tenantStderr: tenant.stderr().slice(-2000) };
    expect(seen).toMatchObject({ status: { traced: 200, untraced: 200, get: 200, health: 200 }, exitCodes: [0, 0] });
    expect(spans.length).toBeGreaterThan(0);
  });

  it('one trace goes from the client through the gateway and the subgraph to the database, parents linked', () => {
    const trace = inTrace(CLIENT_TRACE);
    // Gateway HTTP server span: continues the client's traceparent, stable HTTP semantic conventions.
    const gw = serverSpan('gateway', CLIENT_TRACE)!;
    expect(gw).toBeDefined();
    expect(gw.parentSpanId).toBe(CLIENT_SPAN);
    expect(gw.name).toBe('POST /graphql');
    expect(gw.scope).toBe('@opentelemetry/instrumentation-http');
    expect(gw.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'http.request.header.x-request-id': ['traced-1'],
    });
    expect(gw.resource).toMatchObject({ 'service.name': 'gateway', 'service.namespace': 'studyspot-graph', 'deployment.environment.name': 'test' });
    // @apollo/gateway's own spans name the operation.
    expect(trace.find((s) => s.name === 'gateway.request')?.attributes['graphql.operation.name']).toBe('TracedLogin');

    // undici client span of the gateway's fetch to the subgraph, under gateway.fetch.
    const fetchSpan = trace.find((s) => s.kind === CLIENT && s.scope === '@opentelemetry/instrumentation-undici')!;
    expect(fetchSpan).toBeDefined();
    expect(fetchSpan.resource['service.name']).toBe('gateway');
    expect(fetchSpan.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `http://127.0.0.1:${tenant.port}/graphql`,
      'http.response.status_code': 200,
    });
    expect(ancestors(fetchSpan).map((s) => s.name)).toEqual(expect.arrayContaining(['gateway.fetch', 'gateway.request', 'POST /graphql']));
    expect(ancestors(fetchSpan).pop()).toBe(gw);

    // The subgraph's server span continues the traceparent the undici instrumentation injected.
    const sub = serverSpan('tenant-under-test', CLIENT_TRACE)!;
    expect(sub).toBeDefined();
    expect(sub.parentSpanId).toBe(fetchSpan.spanId);
    expect(sub.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.response.status_code': 200,
      'http.request.header.x-request-id': ['traced-1'],
    });
    const execute = trace.find((s) => s.scope === '@opentelemetry/instrumentation-graphql' && s.attributes['graphql.operation.type'] === 'mutation')!;
    expect(execute.attributes['graphql.operation.name']).toBe('TracedLogin__tenant__0');
    expect(ancestors(execute)).toContain(sub);

    // MongoDB spans (stable db.* conventions) under the subgraph's server span.
    const mongo = trace.filter((s) => s.scope === '@opentelemetry/instrumentation-mongodb');
    expect(mongo.length).toBeGreaterThan(0);
    for (const m of mongo) {
      expect(m.kind).toBe(CLIENT);
      expect(m.attributes['db.system.name']).toBe('mongodb');
      expect(ancestors(m)).toContain(sub);
    }
    const userLookup = mongo.find((m) => m.attributes['db.collection.name'] === 'platform_users')!;
    expect(userLookup.attributes).toMatchObject({ 'db.operation.name': 'find', 'db.namespace': `${prefix}platform` });
    expect(userLookup.name).toBe('find platform_users');
    // Query shapes only: the e-mail looked up is not in the span.
    expect(JSON.stringify(trace)).not.toContain(EMAIL);
  });

  it('without a client traceparent the gateway starts the trace, and the subgraph joins it', () => {
    const gw = spans.find(
      (s) =>
        s.kind === SERVER &&
        s.resource['service.name'] === 'gateway' &&
        (s.attributes['http.request.header.x-request-id'] as string[] | undefined)?.[0] === 'traced-2',
    )!;
    expect(gw).toBeDefined();
    expect(gw.parentSpanId).toBeUndefined();
    const sub = serverSpan('tenant-under-test', gw.traceId)!;
    expect(ancestors(sub)).toContain(gw);
    expect(inTrace(gw.traceId).some((s) => s.scope === '@opentelemetry/instrumentation-mongodb')).toBe(true);
  });

  it('one span per span-worthy step: no span per field or middleware, no probes, no loose start-up spans, no old attribute names', () => {
    const trace = inTrace(CLIENT_TRACE);
    expect(trace.filter((s) => s.kind === SERVER)).toHaveLength(2);
    expect(trace.filter((s) => s.scope === '@opentelemetry/instrumentation-express')).toEqual([]);
    expect(
      trace
        .filter((s) => s.scope === '@opentelemetry/instrumentation-graphql')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['graphql.parse', 'graphql.parse', 'graphql.validate', 'graphql.validate', 'mutation TracedLogin__tenant__0']);
    expect(spans.filter((s) => s.attributes['url.path'] === '/health')).toEqual([]);
    // Every trace starts at a request (or a client call): the schema parsing at start-up is not traced.
    expect(spans.filter((s) => !s.parentSpanId && s.kind !== SERVER && s.kind !== CLIENT)).toEqual([]);
    const names = new Set(spans.flatMap((s) => Object.keys(s.attributes)));
    for (const old of ['http.method', 'http.status_code', 'http.target', 'http.url', 'net.peer.name', 'db.system', 'db.statement', 'db.name'])
      expect(names).not.toContain(old);
  });

  it('GraphQL over GET: the document and variables are redacted from url.query', () => {
    const get = spans.find((s) => s.kind === SERVER && s.attributes['http.request.method'] === 'GET' && s.attributes['url.path'] === '/graphql')!;
    expect(get).toBeDefined();
    expect(get.attributes['url.query']).toBe('query=REDACTED&variables=REDACTED');
  });

  it('the pay link token (a bearer secret) never becomes a span attribute', () => {
    expect(secretPathAttributes('/pay/eyJhbGciOi.signed-token')).toEqual({ 'url.path': '/pay/:token' });
    expect(secretPathAttributes('/graphql')).toEqual({});
  });

  it('log lines carry the trace id and the span id of the request they belong to', () => {
    const gw = serverSpan('gateway', CLIENT_TRACE)!;
    const sub = serverSpan('tenant-under-test', CLIENT_TRACE)!;
    const gatewayLine = gateway.logs.find((l) => l.requestId === 'traced-1' && l.msg === 'graphql request');
    expect(gatewayLine).toMatchObject({ name: 'gateway', operation: 'TracedLogin', trace_id: CLIENT_TRACE, span_id: gw.spanId, trace_flags: '01' });
    const tenantLine = tenant.logs.find((l) => l.requestId === 'traced-1' && l.msg === 'graphql request');
    expect(tenantLine).toMatchObject({ name: 'tenant', trace_id: CLIENT_TRACE, span_id: sub.spanId });
    // Every line logged while serving a request carries its trace; start-up lines have none.
    for (const l of [...gateway.logs, ...tenant.logs].filter((x) => typeof x.requestId === 'string')) expect(l.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(gateway.logs.find((l) => l.msg === 'gateway started')?.trace_id).toBeUndefined();
  });
});

describe('OTEL_* configuration', () => {
  it('tracing is on only when an exporter is configured', () => {
    expect(tracesEnabled({})).toBe(false);
    expect(tracesEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false); // compose passes unset as empty
    expect(tracesEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracesEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracesEnabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracesEnabled({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracesEnabled({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });

  it('a process without an exporter does not even load the SDK', () => {
    const probe =
      `require(${JSON.stringify(path.join(projectRoot(), 'dist/core/observability/instrument.js'))});` +
      `process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('sdk-node'))))`;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    expect(spawnSync(process.execPath, ['-e', probe], { env, encoding: 'utf8' }).stdout).toBe('false');
    expect(spawnSync(process.execPath, ['-e', probe], { env: { ...env, OTEL_TRACES_EXPORTER: 'console' }, encoding: 'utf8' }).stdout).toBe('true');
  });

  it('the default service name is the service the entry point starts', () => {
    expect(serviceNameOf('/app/dist/gateway/main.js')).toBe('gateway');
    expect(serviceNameOf('/app/dist/subgraphs/billing/main.js')).toBe('billing');
    expect(serviceNameOf('/app/dist/scripts/start-all.js')).toBe('studyspot-graph');
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT:/],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER:/],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, /OTEL_TRACES_SAMPLER_ARG:/],
    [{ OTEL_TRACES_EXPORTER: 'otlp,none' }, /OTEL_TRACES_EXPORTER:/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' }, /OTEL_EXPORTER_OTLP_PROTOCOL:/],
    [{ OTEL_RESOURCE_ATTRIBUTES: 'just-a-word' }, /OTEL_RESOURCE_ATTRIBUTES:/],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadConfig('gateway', env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig('gateway', env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('accepts the standard settings, blanks as unset', () => {
    const c = loadConfig('gateway', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.instance.id=a1',
      OTEL_SERVICE_NAME: '',
      OTEL_SDK_DISABLED: '',
    });
    expect(c.tracing).toEqual({ enabled: true, endpoint: 'http://collector:4318' });
    expect(loadConfig('gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing).toEqual({ enabled: false, endpoint: undefined });
  });
});
