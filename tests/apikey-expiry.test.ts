import { startSystem, type System, type TestTenant } from './helpers/system';
import { sleep } from './helpers/ws';

/**
 * Partner API keys about to expire are announced once per key and expiry: an
 * API_KEY_EXPIRING notification to each user who may manage keys, and the
 * `api_key.expiring` webhook. The job runs every 150 ms here, so repeats are exercised.
 */
let sys: System;
let t: TestTenant;
const DAY = 86_400_000;
const saved = process.env.APIKEY_EXPIRY_INTERVAL_MS;

beforeAll(async () => {
  process.env.APIKEY_EXPIRY_INTERVAL_MS = '150';
  sys = await startSystem({}, { messaging: { outbound: { allowPrivateTargets: true, intervalMs: 0 } } });
  t = await sys.createTenant('key-expiry');
});
afterAll(async () => {
  await sys?.stop();
  if (saved === undefined) delete process.env.APIKEY_EXPIRY_INTERVAL_MS;
  else process.env.APIKEY_EXPIRY_INTERVAL_MS = saved;
});

const NOTES = `{ notifications(first: 50) { type title body } }`;
const KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }`;

it('announces a key expiring within 7 days once, to key managers and subscribed endpoints; not later, revoked or other tenants’ keys', async () => {
  const o = { token: t.ownerToken };
  const other = await sys.createTenant('key-expiry-b');
  const endpoint = (
    await sys.ok(
      `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`,
      { i: { url: 'http://127.0.0.1:9/keys', eventTypes: ['api_key.expiring'] } },
      o,
    )
  ).createWebhookEndpoint.endpoint.id as string;
  const manager = await sys.userToken(t, 'manager');
  const key = async (name: string, days: number, token = t.ownerToken) =>
    (await sys.ok(KEY, { i: { name, scopes: ['libraries:read'], expiresAt: new Date(Date.now() + days * DAY + 60_000) } }, { token })).createApiKey.apiKey
      .id as string;
  const soon = await key('Soon', 3);
  await key('Later', 30);
  // A key revoked before the job ever saw it (written as revokeApiKey leaves it; through the API the job could announce it first).
  await sys.db
    .platform()
    .collection('api_keys')
    .insertOne({
      tenantId: t.id,
      name: 'Revoked',
      prefix: `rvk${Date.now().toString(36)}`.slice(0, 12),
      hash: 'unused',
      scopes: ['libraries:read'],
      rateLimitPerMinute: 60,
      expiresAt: new Date(Date.now() + 2 * DAY),
      revokedAt: new Date(),
      createdBy: 'test',
    });
  await key('Other tenant', 2, other.ownerToken);

  const expiring = async (token: string) =>
    ((await sys.ok(NOTES, {}, { token })).notifications as { type: string; title: string; body: string }[]).filter((n) => n.type === 'API_KEY_EXPIRING');
  for (let i = 0; i < 100 && (await expiring(t.ownerToken)).length === 0; i++) await sleep(100);
  await sleep(600); // several more runs of the job: still one announcement
  const notes = await expiring(t.ownerToken);
  expect(notes).toHaveLength(1);
  expect(notes[0]!.title).toBe('An API key expires within 4 days');
  expect(notes[0]!.body).toContain(soon);
  // A manager may not manage keys: not told. The other tenant's owner hears of its own key only.
  expect(await expiring(manager)).toEqual([]);
  let theirs = await expiring(other.ownerToken);
  for (let i = 0; i < 50 && theirs.length === 0; i++) {
    await sleep(100);
    theirs = await expiring(other.ownerToken);
  }
  expect(theirs).toHaveLength(1);
  expect(theirs[0]!.body).not.toContain(soon);

  const deliveries = async () =>
    (await sys.ok(`query($e: ID!) { webhookDeliveries(endpointId: $e) { nodes { eventType payload } } }`, { e: endpoint }, o)).webhookDeliveries.nodes as {
      eventType: string;
      payload: string;
    }[];
  let page = await deliveries();
  for (let i = 0; i < 50 && page.length === 0; i++) {
    await sleep(100);
    page = await deliveries();
  }
  expect(page).toHaveLength(1);
  const body = JSON.parse(page[0]!.payload);
  expect(body).toMatchObject({ type: 'api_key.expiring', tenantId: t.id, data: { keyId: soon, daysLeft: 4 } });
  expect(Object.keys(body.data).sort()).toEqual(['daysLeft', 'expiresAt', 'keyId']);
});
