import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { EXIT } from '../cli/io';
import { runCli } from './helpers/cli';
import { tenantRegistry, type TenantRecord } from '../core/tenancy/registry';
import { trustedDocumentsIndexes } from '../migrations/004-trusted-documents';
import { type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

/**
 * Trusted documents on /partner/graphql: owners register operations for their
 * partner keys (registerTrustedDocuments); a key in trusted-documents mode runs
 * only those, by full text or by hash; other keys may send a registered hash.
 */
let sys: SharedSystem;
let a: TestTenant;
let b: TestTenant;
let partnerUrl: string;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const LIBS = 'query Libs { libraries { name } }';
const LIB = 'query Lib($id: ID!) { library(id: $id) { name } }';
const UNREGISTERED = 'query Other { libraries { id name } }';

const REGISTER = `mutation($i: RegisterTrustedDocumentsInput!) { registerTrustedDocuments(input: $i) { sha256Hash operationNames document } }`;
const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id trustedDocumentsOnly } } }`;
const SET_MODE = `mutation($id: ID!, $on: Boolean!) { setApiKeyTrustedDocumentsOnly(id: $id, enabled: $on) { id trustedDocumentsOnly } }`;

type Body = { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts

async function partner(key: string, body: Record<string, unknown>) {
  const res = await fetch(partnerUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}
const byHash = (hash: string, extra: Record<string, unknown> = {}) => ({ ...extra, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

async function newKey(t: TestTenant, input: Record<string, unknown> = {}) {
  const r = await sys.ok(CREATE_KEY, { i: { name: 'kiosk', scopes: ['libraries:read', 'students:list'], ...input } }, { token: t.ownerToken });
  return r.createApiKey as { key: string; apiKey: { id: string; trustedDocumentsOnly: boolean } };
}
const register = (t: TestTenant, documents: Record<string, unknown>[], token = t.ownerToken) => sys.gql(REGISTER, { i: { documents } }, { token });

let libId: string;

beforeAll(async () => {
  sys = await sharedSystem();
  partnerUrl = sys.gatewayUrl.replace(/\/graphql$/, '/partner/graphql');
  a = await sys.createTenant('trusted-a');
  b = await sys.createTenant('trusted-b');
  libId = (await sys.ok(`mutation { createLibrary(input: { name: "A Hall", capacity: 10 }) { id } }`, {}, { token: a.ownerToken })).createLibrary.id;
  await sys.ok(`mutation { createLibrary(input: { name: "B Hall", capacity: 10 }) { id } }`, {}, { token: b.ownerToken });
});
afterAll(async () => {
  await sys?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let dir: string;
/** The CLI in-process (same code as the binary) against the test databases. */
const cli = (...args: string[]) => runCli({ NODE_ENV: 'test', MONGODB_URI: process.env.MONGODB_URI, DB_PREFIX: sys.db.prefix, LOG_LEVEL: 'silent' }, ...args);
function file(name: string, content: string) {
  dir ??= mkdtempSync(join(tmpdir(), 'studyspot-trusted-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('registering trusted documents (tenant owners)', () => {
  it('registers documents by their SHA-256, idempotently', async () => {
    const res = await register(a, [{ document: LIBS }, { document: LIB, sha256Hash: sha256(LIB) }]);
    expect(res.errors).toBeUndefined();
    expect(res.data.registerTrustedDocuments).toEqual([
      { sha256Hash: sha256(LIBS), operationNames: ['Libs'], document: LIBS },
      { sha256Hash: sha256(LIB), operationNames: ['Lib'], document: LIB },
    ]);
    // Again: same answer, still two documents.
    expect((await register(a, [{ document: LIBS }])).data.registerTrustedDocuments).toEqual([
      { sha256Hash: sha256(LIBS), operationNames: ['Libs'], document: LIBS },
    ]);
    const list = await sys.ok('{ trustedDocuments { sha256Hash } }', {}, { token: a.ownerToken });
    expect(list.trustedDocuments.map((d: { sha256Hash: string }) => d.sha256Hash).sort()).toEqual([sha256(LIBS), sha256(LIB)].sort());
  });

  it('refuses the whole batch when one document is wrong, and writes nothing', async () => {
    const good = 'query Fresh { libraries { id } }';
    for (const [bad, field, message] of [
      [{ document: good, sha256Hash: sha256('something else') }, 'input.documents[1].sha256Hash', /does not match/],
      [{ document: '{ libraries { ' }, 'input.documents[1].document', /does not parse/],
      [{ document: '{ payments { amount } }' }, 'input.documents[1].document', /not valid against the partner API: Cannot query field "payments"/],
    ] as const) {
      const res = await register(a, [{ document: good }, bad]);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].message).toMatch(message);
    }
    const list = await sys.ok('{ trustedDocuments { sha256Hash } }', {}, { token: a.ownerToken });
    expect(list.trustedDocuments.map((d: { sha256Hash: string }) => d.sha256Hash)).not.toContain(sha256(good));
  });

  it('is for owners (apikeys:manage): managers and staff are refused', async () => {
    for (const role of ['manager', 'staff'] as const) {
      const token = await sys.userToken(a, role);
      expect((await register(a, [{ document: 'query X { libraries { id } }' }], token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await sys.gql('{ trustedDocuments { sha256Hash } }', {}, { token })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('keeps the internal lookup off the public graph', async () => {
    const res = await sys.gql(`{ trustedDocumentSource(sha256Hash: "${sha256(LIBS)}") }`, {}, { token: a.ownerToken });
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('partner keys and trusted documents', () => {
  it('a key not in trusted-documents mode runs any document, and may send a registered hash instead', async () => {
    const { key, apiKey } = await newKey(a);
    expect(apiKey.trustedDocumentsOnly).toBe(false);
    expect((await partner(key, { query: UNREGISTERED })).body.data.libraries).toHaveLength(1);
    const hashed = await partner(key, byHash(sha256(LIB), { variables: { id: libId }, operationName: 'Lib' }));
    expect(hashed).toEqual({ status: 200, body: { data: { library: { name: 'A Hall' } } } });
    // An unknown hash: Apollo's code, so a persisted-query link resends the full document.
    const unknown = await partner(key, byHash(sha256(UNREGISTERED)));
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: 'PERSISTED_QUERY_NOT_FOUND', errorCode: 2004 });
  });

  it('a key in trusted-documents mode runs only registered documents, by text or by hash', async () => {
    const { key, apiKey } = await newKey(a);
    expect((await sys.ok(SET_MODE, { id: apiKey.id, on: true }, { token: a.ownerToken })).setApiKeyTrustedDocumentsOnly).toEqual({
      id: apiKey.id,
      trustedDocumentsOnly: true,
    });

    expect(await partner(key, { query: LIBS })).toEqual({ status: 200, body: { data: { libraries: [{ name: 'A Hall' }] } } });
    expect(await partner(key, byHash(sha256(LIBS)))).toEqual({ status: 200, body: { data: { libraries: [{ name: 'A Hall' }] } } });
    expect((await partner(key, { query: LIBS, ...byHash(sha256(LIBS)) })).body.data).toEqual({ libraries: [{ name: 'A Hall' }] });

    const refused = await partner(key, { query: UNREGISTERED });
    expect(refused.status).toBe(403);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([{ message: expect.stringMatching(/registered/), extensions: { code: 'OPERATION_NOT_TRUSTED', errorCode: 1010 } }]);
    // The same text with whitespace changed is another document.
    expect((await partner(key, { query: `${LIBS} ` })).body.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    // A hash that does not match the text is refused before any lookup.
    const mismatch = await partner(key, { query: UNREGISTERED, ...byHash(sha256(LIBS)) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors?.[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_USER_INPUT' } });
    expect((await partner(key, byHash(sha256(UNREGISTERED)))).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await partner(key, byHash('not-a-hash'))).body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await partner(key, {})).status).toBe(400);

    // Back off: any document runs again.
    await sys.ok(SET_MODE, { id: apiKey.id, on: false }, { token: a.ownerToken });
    expect((await partner(key, { query: UNREGISTERED })).body.data.libraries).toHaveLength(1);
  });

  it("registered documents are per tenant: another tenant's registration does not count", async () => {
    const other = 'query OnlyB { libraries { name } }';
    await register(b, [{ document: other }]);
    const { key } = await newKey(a, { trustedDocumentsOnly: true });
    expect((await partner(key, { query: other })).body.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    expect((await partner(key, byHash(sha256(other)))).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // B's trusted key runs it, on B's data.
    const { key: bKey } = await newKey(b, { trustedDocumentsOnly: true });
    expect((await partner(bKey, byHash(sha256(other)))).body).toEqual({ data: { libraries: [{ name: 'B Hall' }] } });
  });

  it('scopes still apply to registered documents', async () => {
    const students = 'query Students { students(first: 5) { edges { node { name } } } }';
    await register(a, [{ document: students }]);
    const { key } = await newKey(a, { trustedDocumentsOnly: true, scopes: ['libraries:read'] });
    const res = await partner(key, byHash(sha256(students)));
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.body.data?.students ?? null).toBeNull();
  });

  it('a removed document stops running at once; rotation keeps the mode', async () => {
    const doc = 'query Gone { libraries { name } }';
    await register(a, [{ document: doc }]);
    const { key, apiKey } = await newKey(a, { trustedDocumentsOnly: true });
    expect((await partner(key, byHash(sha256(doc)))).body.data).toEqual({ libraries: [{ name: 'A Hall' }] });
    const removed = await sys.ok(`mutation($h: String!) { removeTrustedDocument(sha256Hash: $h) { sha256Hash } }`, { h: sha256(doc) }, { token: a.ownerToken });
    expect(removed.removeTrustedDocument.sha256Hash).toBe(sha256(doc));
    expect((await partner(key, { query: doc })).body.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    const again = await sys.gql(`mutation($h: String!) { removeTrustedDocument(sha256Hash: $h) { sha256Hash } }`, { h: sha256(doc) }, { token: a.ownerToken });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const rotated = await sys.ok(
      `mutation($id: ID!) { rotateApiKey(id: $id) { key apiKey { trustedDocumentsOnly } } }`,
      { id: apiKey.id },
      { token: a.ownerToken },
    );
    expect(rotated.rotateApiKey.apiKey.trustedDocumentsOnly).toBe(true);
    expect((await partner(rotated.rotateApiKey.key, { query: UNREGISTERED })).body.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
  });

  it("works with Apollo Client's persisted-query link: register what the client sends, then it sends the hash only", async () => {
    const { key } = await newKey(a, { trustedDocumentsOnly: true });
    const sent: { query?: string; extensions?: { persistedQuery?: { sha256Hash: string } } }[] = [];
    const statuses: number[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      sent.push(JSON.parse(String(init?.body)));
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    };
    const client = new ApolloClient({
      link: new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: partnerUrl, fetch: recordingFetch, headers: { 'x-api-key': key } })),
      cache: new InMemoryCache(),
    });
    const query = gql`
      query Hall {
        libraries {
          name
        }
      }
    `;
    // Not registered yet: hash -> not found -> full text -> not trusted.
    // (HTTP 403 as application/graphql-response+json, which Apollo Client 4 accepts: it
    // reads the body as a GraphQL result and reports its errors.)
    const refused = await client.query({ query, fetchPolicy: 'network-only' }).then(
      () => null,
      (e: { errors?: { extensions?: { code?: string } }[] }) => e,
    );
    expect(refused?.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    expect(statuses).toEqual([200, 403]);
    expect(sent.map((s) => s.query === undefined)).toEqual([true, false]);
    // The owner registers exactly what the client sent (as a manifest generator would) ...
    await register(a, [{ document: sent[1].query!, sha256Hash: sent[0].extensions!.persistedQuery!.sha256Hash }]);
    // ... and the client runs it by hash alone.
    const res = await client.query({ query, fetchPolicy: 'network-only' });
    expect(res.data).toEqual({ libraries: [{ __typename: 'Library', name: 'A Hall' }] });
    expect(sent).toHaveLength(3);
    expect(sent[2].query).toBeUndefined();
  });
});

describe('CLI: studyspot trusted-documents', () => {
  it('registers an Apollo persisted query manifest, lists, switches a key by prefix, removes', async () => {
    const t = await sys.createTenant('trusted-cli');
    await sys.ok(`mutation { createLibrary(input: { name: "CLI Hall", capacity: 4 }) { id } }`, {}, { token: t.ownerToken });
    const one = 'query CliOne { libraries { name } }';
    const two = 'query CliTwo { libraries { id } }';
    const manifest = file(
      'manifest.json',
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          { id: sha256(one), name: 'CliOne', type: 'query', body: one },
          { id: sha256(two), name: 'CliTwo', type: 'query', body: two },
        ],
      }),
    );
    const reg = await cli('--json', 'trusted-documents', 'register', 'trusted-cli', manifest);
    expect(reg.code).toBe(EXIT.ok);
    expect(reg.json()).toEqual({
      tenant: 'trusted-cli',
      registered: [
        { sha256Hash: sha256(one), operationNames: ['CliOne'] },
        { sha256Hash: sha256(two), operationNames: ['CliTwo'] },
      ],
    });
    // A .graphql file is one document; human output names it.
    const single = await cli('trusted-documents', 'register', 'trusted-cli', file('three.graphql', 'query CliThree { libraries { name id } }'));
    expect(single.out).toMatch(/CliThree\n1 document registered for trusted-cli/);
    const list = await cli('--json', 'trusted-documents', 'list', 'trusted-cli');
    expect(
      list
        .json()
        .map((d: { operations: string }) => d.operations)
        .sort(),
    ).toEqual(['CliOne', 'CliThree', 'CliTwo']);

    const { key, apiKey } = await newKey(t);
    const prefix = key.split('_')[1];
    const on = await cli('trusted-documents', 'mode', 'trusted-cli', prefix, 'on');
    expect(on.out).toMatch(/trusted-documents mode on/);
    expect((await sys.ok('{ apiKeys { id trustedDocumentsOnly } }', {}, { token: t.ownerToken })).apiKeys).toEqual([
      { id: apiKey.id, trustedDocumentsOnly: true },
    ]);
    expect((await partner(key, byHash(sha256(one)))).body).toEqual({ data: { libraries: [{ name: 'CLI Hall' }] } });
    expect((await partner(key, { query: UNREGISTERED })).body.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');

    expect((await cli('trusted-documents', 'remove', 'trusted-cli', sha256(one))).code).toBe(EXIT.ok);
    expect((await partner(key, { query: one })).body.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    expect((await cli('trusted-documents', 'remove', 'trusted-cli', sha256(one))).err).toMatch(/Trusted document not found/);
    // Another tenant's key is not found by prefix under this tenant.
    expect((await cli('trusted-documents', 'mode', 'trusted-a', prefix, 'off')).code).toBe(EXIT.failed);
  });

  it('refuses a manifest with a wrong id or an invalid document, registering none of it', async () => {
    const ok = 'query CliFine { libraries { name } }';
    for (const operations of [
      [
        { id: sha256(ok), body: ok },
        { id: sha256('x'), body: 'query CliBad { libraries { id } }' },
      ],
      [{ id: sha256(ok), body: ok }, { body: '{ wallet { sms } }' }],
    ]) {
      const res = await cli(
        'trusted-documents',
        'register',
        'trusted-a',
        file('bad.json', JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations })),
      );
      expect(res.code).toBe(EXIT.failed);
      expect(res.err).toMatch(/bad\.json\[1\]\.(sha256Hash: does not match|document: is not valid against the partner API)/);
    }
    const list = await cli('--json', 'trusted-documents', 'list', 'trusted-a');
    expect(list.json().map((d: { sha256Hash: string }) => d.sha256Hash)).not.toContain(sha256(ok));
    expect((await cli('trusted-documents', 'register', 'no-such-tenant', file('x.graphql', ok))).err).toMatch(/No tenant with slug "no-such-tenant"/);
    expect((await cli('trusted-documents', 'register', 'trusted-a', file('broken.json', '{"format": '))).code).toBe(EXIT.usage);
  });

  it('migration 004 gives older tenants the collection and its unique hash index', async () => {
    const record = await tenantRegistry(sys.db.platform()).findOne({ slug: 'trusted-b' }).lean<TenantRecord>();
    const conn = sys.db.tenant(record!.dbName);
    await conn.db!.collection('trusted_documents').drop();
    expect(await trustedDocumentsIndexes.pending(conn)).toBe(2);
    await trustedDocumentsIndexes.up(conn);
    expect(await trustedDocumentsIndexes.pending(conn)).toBe(0);
    const indexes = await conn.db!.collection('trusted_documents').indexes();
    expect(indexes.find((i) => JSON.stringify(i.key) === '{"hash":1}')?.unique).toBe(true);
  });
});
