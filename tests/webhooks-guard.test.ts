import { Types } from 'mongoose';
import { AppError } from '../core/errors';
import { postWebhook } from '../subgraphs/messaging/webhooks/sender.service';
import { checkTargetUrl, isBlockedAddress } from '../subgraphs/messaging/webhooks/target.service';
import { type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

// Outbound webhooks with production settings (WEBHOOKS_ALLOW_PRIVATE_TARGETS off): the SSRF guard,
// endpoint CRUD, permissions, partner keys seeing only their own endpoints, tenant isolation.
// Deliveries themselves: tests/webhooks.test.ts.

let sys: SharedSystem;
beforeAll(async () => {
  sys = await sharedSystem();
});
afterAll(() => sys?.stop());

const PUBLIC = 'https://93.184.215.14/hooks/studyspot';
const CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id url eventTypes status apiKeyId } } }`;
const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));

const refusal = async (url: string, allowPrivate = false) => {
  try {
    await checkTargetUrl(url, allowPrivate);
    return 'accepted';
  } catch (err) {
    return err instanceof AppError ? err.extensions.code : String(err);
  }
};

describe('webhook target guard (unit)', () => {
  it('classifies addresses: only public unicast passes', () => {
    const blocked = [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'fc00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
    ];
    for (const ip of blocked) expect([ip, isBlockedAddress(ip)]).toEqual([ip, true]);
    for (const ip of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect([ip, isBlockedAddress(ip)]).toEqual([ip, false]);
  });

  it('refuses http, credentials, private, loopback, link-local, metadata and CGNAT targets unless relaxed', async () => {
    for (const url of [
      'http://93.184.215.14/x',
      'https://127.0.0.1/x',
      'https://localhost:8443/x',
      'https://10.0.0.5/x',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x',
      'https://[fd00:ec2::254]/x',
      'https://100.100.100.200/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://user:pw@93.184.215.14/x',
      'ftp://93.184.215.14/x',
      'not a url',
    ])
      expect([url, await refusal(url)]).toEqual([url, 'BAD_USER_INPUT']);
    expect(await refusal(PUBLIC)).toBe('accepted');
    expect(await refusal('http://127.0.0.1:9/x', true)).toBe('accepted');
  });

  it('checks again at send time, on every resolved address (names resolving to loopback never get a request)', async () => {
    for (const url of ['https://127.0.0.1:9/x', 'https://localhost:9/x', 'http://[::1]:9/x']) {
      const r = await postWebhook(new URL(url), {}, '{}', 2000, false);
      expect([url, r.ok, r.errorClass]).toEqual([url, false, 'BLOCKED_TARGET']);
    }
  });
});

describe('webhook endpoints through the gateway', () => {
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    a = await sys.createTenant('whg-a', { plan: 'starter' });
    b = await sys.createTenant('whg-b', { plan: 'starter' });
  });

  it('refuses private and http targets with BAD_USER_INPUT and writes nothing', async () => {
    for (const url of ['http://93.184.215.14/x', 'https://127.0.0.1/x', 'https://169.254.169.254/x', 'https://[::1]/x']) {
      const r = await sys.gql(CREATE, { i: { url, eventTypes: ['student.created'] } }, { token: a.ownerToken });
      expect([url, code(r)]).toEqual([url, 'BAD_USER_INPUT']);
    }
    expect(await tenantDb(a).collection('webhook_endpoints').countDocuments({})).toBe(0);
    const unknown = await sys.gql(CREATE, { i: { url: PUBLIC, eventTypes: ['student.deleted'] } }, { token: a.ownerToken });
    expect(code(unknown)).toBe('BAD_USER_INPUT');
  });

  it('creates, lists, updates, disables, enables and deletes; the secret is shown once and stored sealed', async () => {
    const o = { token: a.ownerToken };
    const types = (await sys.ok(`{ webhookEventTypes { type version requires } }`, {}, o)).webhookEventTypes;
    expect(types.map((t: { type: string }) => t.type)).toEqual([
      'payment.captured',
      'student.created',
      'attendance.checked_in',
      'membership.expiring',
      'ticket.updated',
      'api_key.expiring',
      'webhook.test',
    ]);
    const created = (await sys.ok(CREATE, { i: { url: PUBLIC, eventTypes: ['student.created', 'payment.captured'], description: 'CRM' } }, o))
      .createWebhookEndpoint;
    expect(created.endpoint).toMatchObject({ url: PUBLIC, status: 'ACTIVE', apiKeyId: null });
    const raw = await tenantDb(a)
      .collection('webhook_endpoints')
      .findOne({ _id: new Types.ObjectId(created.endpoint.id as string) });
    expect(JSON.stringify(raw)).not.toContain(created.secret.slice(6));
    const id = created.endpoint.id;
    // The audit trail records the creation with the secret redacted.
    let audit: { action: string; result: unknown }[] = [];
    for (let i = 0; i < 40 && !audit.length; i++) {
      audit = (await sys.ok(`query($f: AuditFilter) { auditLog(filter: $f) { action result } }`, { f: { action: 'createWebhookEndpoint' } }, o)).auditLog;
      if (!audit.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(created.secret.slice(6));

    const upd = `mutation($id: ID!, $i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { url eventTypes description } }`;
    expect((await sys.ok(upd, { id, i: { eventTypes: ['attendance.checked_in'], description: 'Gate' } }, o)).updateWebhookEndpoint).toEqual({
      url: PUBLIC,
      eventTypes: ['attendance.checked_in'],
      description: 'Gate',
    });
    expect(code(await sys.gql(upd, { id, i: { url: 'https://192.168.0.10/x' } }, o))).toBe('BAD_USER_INPUT');
    expect((await sys.ok(`query($id: ID!) { webhookEndpoint(id: $id) { url } }`, { id }, o)).webhookEndpoint.url).toBe(PUBLIC);

    expect((await sys.ok(`mutation($id: ID!) { disableWebhookEndpoint(id: $id) { status disabledReason } }`, { id }, o)).disableWebhookEndpoint).toEqual({
      status: 'DISABLED',
      disabledReason: 'MANUAL',
    });
    expect((await sys.ok(`mutation($id: ID!) { enableWebhookEndpoint(id: $id) { status disabledReason } }`, { id }, o)).enableWebhookEndpoint).toEqual({
      status: 'ACTIVE',
      disabledReason: null,
    });
    expect((await sys.ok(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id }, o)).deleteWebhookEndpoint).toBe(true);
    expect(code(await sys.gql(`query($id: ID!) { webhookEndpoint(id: $id) { id } }`, { id }, o))).toBe('NOT_FOUND');
  });

  it('owners and managers manage endpoints; staff may not', async () => {
    const manager = await sys.userToken(a, 'manager');
    const staff = await sys.userToken(a, 'staff');
    const r = await sys.gql(CREATE, { i: { url: PUBLIC, eventTypes: ['payment.captured'] } }, { token: manager });
    expect(r.errors).toBeUndefined();
    expect(code(await sys.gql(CREATE, { i: { url: PUBLIC, eventTypes: ['student.created'] } }, { token: staff }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(`{ webhookEndpoints { id } }`, {}, { token: staff }))).toBe('FORBIDDEN');
  });

  it('a partner key manages only its own endpoints, only for types its scopes cover; tenant B sees and replays nothing of A', async () => {
    const partnerUrl = sys.gatewayUrl.replace(/\/graphql$/, '/partner/graphql');
    const partner = async (key: string, query: string, variables: Record<string, unknown> = {}) =>
      (await (
        await fetch(partnerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as {
        data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL JSON; the test reads the fields it asserts
        errors?: { extensions?: Record<string, unknown> }[];
      };
    const KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id } } }`;
    const mk = async (scopes: string[]) => (await sys.ok(KEY, { i: { name: 'crm', scopes } }, { token: a.ownerToken })).createApiKey;
    const [k1, k2, noScope] = [await mk(['students:list', 'webhooks:manage']), await mk(['students:list', 'webhooks:manage']), await mk(['students:list'])];

    const mine = await partner(k1.key, CREATE, { i: { url: PUBLIC, eventTypes: ['student.created'] } });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.createWebhookEndpoint.endpoint.apiKeyId).toBe(k1.apiKey.id);
    const id = mine.data!.createWebhookEndpoint.endpoint.id;
    // Payments need payments:read, check-ins attendance:read: not this key's scopes.
    expect(code(await partner(k1.key, CREATE, { i: { url: PUBLIC, eventTypes: ['payment.captured'] } }))).toBe('FORBIDDEN');
    expect(code(await partner(k1.key, CREATE, { i: { url: PUBLIC, eventTypes: ['attendance.checked_in'] } }))).toBe('FORBIDDEN');
    expect(code(await partner(noScope.key, `{ webhookEndpoints { id } }`))).toBe('FORBIDDEN');
    expect(code(await partner(k1.key, CREATE, { i: { url: 'https://10.0.0.1/x', eventTypes: ['student.created'] } }))).toBe('BAD_USER_INPUT');

    expect((await partner(k1.key, `{ webhookEndpoints { id } }`)).data!.webhookEndpoints).toEqual([{ id }]);
    expect((await partner(k2.key, `{ webhookEndpoints { id } }`)).data!.webhookEndpoints).toEqual([]);
    expect(code(await partner(k2.key, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id }))).toBe('NOT_FOUND');
    // The owner may not widen a key's endpoint to types beyond the key's scopes.
    const widen = `mutation($id: ID!, $i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { eventTypes } }`;
    expect(code(await sys.gql(widen, { id, i: { eventTypes: ['payment.captured'] } }, { token: a.ownerToken }))).toBe('FORBIDDEN');
    expect((await partner(k1.key, widen, { id, i: { eventTypes: ['student.created'] } })).data!.updateWebhookEndpoint.eventTypes).toEqual(['student.created']);
    // The owner sees the partner's endpoint too.
    const all = (await sys.ok(`{ webhookEndpoints { id apiKeyId } }`, {}, { token: a.ownerToken })).webhookEndpoints;
    expect(all).toEqual(expect.arrayContaining([{ id, apiKeyId: k1.apiKey.id }]));

    // A delivery of A (queued as the consumer would): B gets NOT_FOUND for the endpoint, its log and the replay.
    const delivery = await tenantDb(a)
      .collection('webhook_deliveries')
      .insertOne({
        endpointId: new Types.ObjectId(id as string),
        eventId: 'evt_x',
        eventType: 'student.created',
        body: '{}',
        status: 'FAILED',
        attempts: 1,
        nextAttemptAt: null,
        lastResponseCode: 500,
        lastError: 'HTTP_500',
        deliveredAt: null,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    const d = delivery.insertedId.toHexString();
    const bo = { token: b.ownerToken };
    expect(code(await sys.gql(`query($id: ID!) { webhookEndpoint(id: $id) { id } }`, { id }, bo))).toBe('NOT_FOUND');
    expect(code(await sys.gql(`query($e: ID!) { webhookDeliveries(endpointId: $e) { nodes { id } } }`, { e: id }, bo))).toBe('NOT_FOUND');
    expect(code(await sys.gql(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { attempt } }`, { id: d }, bo))).toBe('NOT_FOUND');
    expect(code(await partner(k2.key, `mutation($id: ID!) { replayWebhookDelivery(id: $id) { attempt } }`, { id: d }))).toBe('NOT_FOUND');
    expect((await sys.ok(`{ webhookEndpoints { id } }`, {}, bo)).webhookEndpoints).toEqual([]);
    // A's own view of it.
    const log = (await partner(k1.key, `query($e: ID!) { webhookDeliveries(endpointId: $e) { nodes { id status } } }`, { e: id })).data!.webhookDeliveries
      .nodes;
    expect(log).toEqual([{ id: d, status: 'FAILED' }]);
  });
});
