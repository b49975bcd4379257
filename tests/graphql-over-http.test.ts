import { requestErrorStatus, responseMediaType } from '../gateway/http/media-type';
import { Writable } from 'node:stream';
import { serverAudits, type AuditResult } from 'graphql-http';
import { createLogger } from '../core/logger';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { testSupergraph } from './helpers/supergraph';
import { startSystem, type System, type TestTenant } from './helpers/system';

// GraphQL over HTTP (issue 15, items 1 and 2) on /graphql and /partner/graphql:
// The Guild's audit suite, then each behaviour with its status, code, media type,
// x-request-id, and log level.
let sys: System;
let t: TestTenant;
/** A gateway whose JSON log lines the tests read. */
let gw: GatewayService;
/** A gateway with a per-IP budget of 2 requests a minute. */
let limited: GatewayService;
let key: string;
const lines: { level: number; msg: string; requestId?: string; [k: string]: unknown }[] = [];

const GQL_JSON = 'application/graphql-response+json';
const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }`;

beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant('gqlhttp');
  await sys.ok(`mutation { createLibrary(input: { name: "Audit Hall", capacity: 5 }) { id } }`, {}, { token: t.ownerToken });
  key = (await sys.ok(CREATE_KEY, { i: { name: 'audit', scopes: ['libraries:read', 'students:list'], rateLimitPerMinute: 6000 } }, { token: t.ownerToken }))
    .createApiKey.key;
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const supergraphSdl = await testSupergraph();
  const base = { ...sys.config, logLevel: 'info', subgraphUrls: sys.subgraphUrls };
  gw = await createGateway(base, { supergraphSdl, pubsub: sys.pubsub, logger: createLogger('gateway', 'info', sink) });
  limited = await createGateway(
    { ...base, security: { ...base.security, rateLimitIp: 2 } },
    { supergraphSdl, pubsub: sys.pubsub, logger: createLogger('gateway', 'silent') },
  );
}, 120_000);
afterAll(async () => {
  await limited?.stop();
  await gw?.stop();
  await sys?.stop();
});

const partnerUrl = () => gw.url.replace(/\/graphql$/, '/partner/graphql');

interface Answer {
  status: number;
  type: string;
  requestId: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  text: string;
}

/** A raw POST; `key` is sent as x-api-key when given. */
async function post(url: string, body: string, headers: Record<string, string> = {}, apiKey?: string): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}), ...headers },
    body,
  });
  const text = await res.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the assertions on body fail
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', requestId: res.headers.get('x-request-id'), body: parsed, text };
}

const ENDPOINTS: [name: string, url: () => string, apiKey: () => string | undefined][] = [
  ['/graphql', () => gw.url, () => undefined],
  ['/partner/graphql', partnerUrl, () => key],
];

/** The notices each endpoint keeps, with the reason, as listed in docs/partners.md. */
const KEPT_NOTICES: Record<string, string[]> = {
  // GET on /graphql needs the apollo-require-preflight header (CSRF protection); the audit sends none.
  '/graphql': ['5A70', 'D6D5', '6A70'],
  '/partner/graphql': [],
};

describe('serverAudits (graphql-http)', () => {
  it.each(ENDPOINTS)(
    '%s: no warning, no error; only the documented notices',
    async (name, url, apiKey) => {
      const k = apiKey();
      const fetchFn = (input: string | URL | Request, init: RequestInit = {}) =>
        fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), ...(k ? { 'x-api-key': k } : {}) } });
      const results: AuditResult[] = [];
      for (const audit of serverAudits({ url: url(), fetchFn })) results.push(await audit.fn());
      const failed = results
        .filter((r) => r.status === 'warn' || r.status === 'error')
        .map((r) => `${r.status} ${r.id} ${r.name}: ${r.status !== 'ok' ? r.reason : ''}`);
      expect(failed).toEqual([]);
      expect(
        results
          .filter((r) => r.status === 'notice')
          .map((r) => r.id)
          .sort(),
      ).toEqual([...KEPT_NOTICES[name]].sort());
      expect(results.length).toBeGreaterThan(40);
    },
    60_000,
  );
});

describe.each(ENDPOINTS)('%s', (name, url, apiKey) => {
  const send = (body: unknown, accept?: string) => post(url(), typeof body === 'string' ? body : JSON.stringify(body), accept ? { accept } : {}, apiKey());

  /**
   * A request error: 400 for application/graphql-response+json, and for no Accept or a
   * wildcard (curl, fetch) with application/json content; 200 only when the client names
   * application/json (legacy); the code, no data, no stack.
   */
  async function expectRequestError(body: unknown, code: string) {
    const modern = await send(body, GQL_JSON);
    expect({ status: modern.status, type: modern.type, code: modern.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 400,
      type: `${GQL_JSON}; charset=utf-8`,
      code,
    });
    expect(modern.body.data).toBeUndefined();
    const legacy = await send(body, 'application/json');
    expect({ status: legacy.status, type: legacy.type, code: legacy.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      code,
    });
    const others = await Promise.all([undefined, '*/*'].map((accept) => send(body, accept)));
    for (const o of others) {
      expect({ status: o.status, type: o.type, code: o.body.errors?.[0]?.extensions?.code }).toEqual({
        status: 400,
        type: 'application/json; charset=utf-8',
        code,
      });
    }
    for (const a of [modern, legacy, ...others]) {
      expect(a.requestId).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(a.text).not.toMatch(/stack|\.ts:\d+|at [A-Za-z]+ \(/);
    }
    return modern;
  }

  it('a syntax error is GRAPHQL_PARSE_FAILED (400 / 200 by media type), never 500', async () => {
    const res = await expectRequestError({ query: '{' }, 'GRAPHQL_PARSE_FAILED');
    expect(res.body.errors?.[0].message).toMatch(/^Syntax Error/);
  });

  it('each operation limit is refused with a code that names it', async () => {
    const tooLarge = `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`;
    await expectRequestError({ query: tooLarge }, 'QUERY_TOO_LARGE');
    // (Armor does not count aliases of __typename.)
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: library(id: "${i}") { id }`).join(' ')} }`;
    await expectRequestError({ query: aliases }, 'QUERY_TOO_MANY_ALIASES');
    const directives = `{ __typename ${'@skip(if: false) '.repeat(51)} }`;
    await expectRequestError({ query: directives }, 'QUERY_TOO_MANY_DIRECTIVES');
    // Each fragment spread is one level (Armor's depth): 12 nested spreads.
    const chain = Array.from({ length: 12 }, (_, i) => `fragment D${i} on Query { ${i === 11 ? '__typename' : `...D${i + 1}`} }`).join(' ');
    await expectRequestError({ query: `{ ...D0 } ${chain}` }, 'QUERY_TOO_DEEP');
    // Fragments that each spread the next ten times: 10^6 fields of cost, few tokens.
    const frags = Array.from({ length: 6 }, (_, i) => `fragment F${i} on Query { ${i === 5 ? '__typename' : `...F${i + 1} `.repeat(10)} }`).join(' ');
    await expectRequestError({ query: `{ ...F0 } ${frags}` }, 'QUERY_TOO_COMPLEX');
  });

  it('an unknown field is GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await expectRequestError({ query: '{ librarie { id } }' }, 'GRAPHQL_VALIDATION_FAILED');
    if (name === '/partner/graphql') expect(res.text).not.toMatch(/Did you mean/);
  });

  it('several operations without operationName, or an unknown operationName, is BAD_USER_INPUT', async () => {
    const two = 'query A { __typename } query B { __typename }';
    const missing = await expectRequestError({ query: two }, 'BAD_USER_INPUT');
    expect(missing.body.errors?.[0].message).toBe('Must provide operation name if query contains multiple operations.');
    const unknown = await expectRequestError({ query: two, operationName: 'C' }, 'BAD_USER_INPUT');
    expect(unknown.body.errors?.[0].message).toBe('Unknown operation named "C".');
    const chosen = await send({ query: two, operationName: 'B' }, GQL_JSON);
    expect([chosen.status, chosen.body]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('variables of the wrong type for the operation are BAD_USER_INPUT', async () => {
    for (const variables of [{ id: null }, {}, { id: { x: 1 } }]) {
      const res = await expectRequestError({ query: 'query Q($id: ID!) { library(id: $id) { id } }', variables }, 'BAD_USER_INPUT');
      expect(res.body.errors?.[0].message).toMatch(/^Variable "\$id"/);
    }
  });

  it('answers application/graphql-response+json when accepted, application/json otherwise, 406 when neither', async () => {
    const ok = { data: { __typename: 'Query' } };
    const modern = await send({ query: '{ __typename }' }, `${GQL_JSON}, application/json;q=0.9`);
    expect([modern.status, modern.type, modern.body]).toEqual([200, `${GQL_JSON}; charset=utf-8`, ok]);
    for (const accept of ['application/json', '*/*', undefined]) {
      const legacy = await send({ query: '{ __typename }' }, accept);
      expect([accept, legacy.status, legacy.type, legacy.body]).toEqual([accept, 200, 'application/json; charset=utf-8', ok]);
    }
    expect((await send({ query: '{ __typename }' }, 'text/html')).status).toBe(406);
  });

  it('wrongly typed query, variables, operationName and extensions: 400 with a clear BAD_USER_INPUT', async () => {
    for (const [param, value] of [
      ['query', 1],
      ['query', { a: 1 }],
      ['variables', 'x'],
      ['variables', [1]],
      ['operationName', 2],
      ['operationName', {}],
      ['extensions', 'x'],
      ['extensions', [1]],
    ] as const) {
      const body = { query: '{ __typename }', [param]: value };
      for (const accept of [GQL_JSON, 'application/json']) {
        const res = await send(body, accept);
        expect({ param, accept, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({
          param,
          accept,
          status: 400,
          code: 'BAD_USER_INPUT',
        });
        // Apollo words it "GraphQL queries must be strings."
        expect(res.body.errors?.[0].message).toMatch(param === 'query' ? /quer(y|ies)/ : param);
        expect(res.requestId).toBeTruthy();
      }
    }
  });

  it("x-request-id on every answer: the client's own, or a new one; also on bad JSON", async () => {
    const mine = await post(url(), JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': 'gqlhttp-own-1' }, apiKey());
    expect([mine.status, mine.requestId]).toEqual([200, 'gqlhttp-own-1']);
    const badJson = await post(url(), '{"query": ', {}, apiKey());
    expect([badJson.status, badJson.body.errors?.[0]?.extensions?.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(badJson.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('x-request-id before GraphQL runs', () => {
  it('on 404s, rate-limit refusals and API-key refusals', async () => {
    const notFound = await fetch(gw.url.replace(/\/graphql$/, '/nope'), { headers: { 'x-request-id': 'gqlhttp-404' } });
    expect([notFound.status, notFound.headers.get('x-request-id')]).toEqual([404, 'gqlhttp-404']);
    expect(((await notFound.json()) as Answer['body']).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const ip = { 'x-forwarded-for': '10.15.0.1' };
    await post(limited.url, '{"query":"{ __typename }"}', ip);
    await post(limited.url, '{"query":"{ __typename }"}', ip);
    const refused = await post(limited.url, '{"query":"{ __typename }"}', { ...ip, 'x-request-id': 'gqlhttp-429' });
    expect([refused.status, refused.requestId, refused.body.errors?.[0].extensions?.code]).toEqual([429, 'gqlhttp-429', 'RATE_LIMITED']);

    const noKey = await post(partnerUrl(), '{"query":"{ __typename }"}', { accept: GQL_JSON, 'x-request-id': 'gqlhttp-401' });
    expect([noKey.status, noKey.requestId, noKey.type, noKey.body.errors?.[0].extensions?.code]).toEqual([
      401,
      'gqlhttp-401',
      `${GQL_JSON}; charset=utf-8`,
      'UNAUTHENTICATED',
    ]);
  });
});

describe('logs', () => {
  it('client mistakes are logged at info/warn without a stack, under the request id of the header', async () => {
    const mistakes: { n: string; id: string; lined: boolean }[] = [];
    for (const [n, url, apiKey] of ENDPOINTS) {
      for (const accept of [GQL_JSON, 'application/json']) {
        for (const body of [
          { query: '{' },
          { query: 'query A { __typename } query B { __typename }' },
          { query: '{ __typename }', variables: 'x' },
          { query: '{ nope }' },
        ]) {
          const id = `gqlhttp-log-${mistakes.length}`;
          const res = await post(url(), JSON.stringify(body), { 'x-request-id': id, accept }, apiKey());
          expect([n, id, res.status]).toEqual([n, id, accept === GQL_JSON || body.variables ? 400 : 200]);
          // Apollo refuses a malformed body before any plugin runs: /graphql logs nothing for it (and no error).
          mistakes.push({ n, id, lined: !(n === '/graphql' && body.variables) });
        }
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    for (const { n, id, lined } of mistakes) {
      const mine = lines.filter((l) => l.requestId === id);
      expect({ n, id, levels: mine.map((l) => l.level) }).toEqual({ n, id, levels: lined ? [expect.any(Number)] : [] });
      for (const l of mine) expect([30, 40]).toContain(l.level);
      expect(JSON.stringify(mine)).not.toMatch(/"stack"|"err"/);
    }
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('media type and request-error status by Accept (gateway/http/media-type.ts)', () => {
  it.each([
    [undefined, 'application/json', 400],
    ['*/*', 'application/json', 400],
    ['application/json', 'application/json', 200],
    ['application/json, */*;q=0.5', 'application/json', 200],
    [GQL_JSON, GQL_JSON, 400],
    [`${GQL_JSON}, application/json;q=0.9`, GQL_JSON, 400],
    [`application/json, ${GQL_JSON};q=0.9`, 'application/json', 200],
    ['text/html', null, 400],
  ])('Accept %s → %s, request errors %i', (accept, media, status) => {
    expect([responseMediaType(accept), requestErrorStatus(accept)]).toEqual([media, status]);
  });
});
