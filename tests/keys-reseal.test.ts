import { EXIT } from '../cli/io';
import { open, sealedKid } from '../core/security/secret-box';
import { runCli } from './helpers/cli';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * Rotating ACCOUNT_KEYS (docs/operations.md): `studyspot keys reseal` puts every sealed value
 * (TOTP secrets, webhook signing secrets, ID-proof numbers) under the newest key, so the old
 * key can leave the ring; keyed hashes are only counted. Values written through the API.
 */
let sys: System;
let t: TestTenant;
const K1 = { kid: 'k1', secret: 'test-account-key-test-account-key-000' }; // the system's ring
const K2 = { kid: 'k2', secret: 'rotated-account-key-rotated-account-key' };
const K3 = { kid: 'k3', secret: 'unrelated-account-key-unrelated-account' };
const ring = (...keys: { kid: string; secret: string }[]) => keys.map((k) => `${k.kid}:${k.secret}`).join(',');
const cli = (keys: string, ...args: string[]) =>
  runCli({ NODE_ENV: 'test', MONGODB_URI: process.env.MONGODB_URI, DB_PREFIX: sys.db.prefix, LOG_LEVEL: 'silent', ACCOUNT_KEYS: keys }, '--json', ...args);

beforeAll(async () => {
  sys = await startSystem({}, { messaging: { outbound: { allowPrivateTargets: true } } });
  t = await sys.createTenant('reseal');
});
afterAll(() => sys?.stop());

it('re-seals TOTP, webhook and ID-proof secrets under the newest key; a dry run writes nothing; a key not in the ring fails', async () => {
  const o = { token: t.ownerToken };
  const lib = (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name: 'Keys Hall', capacity: 5 } }, o))
    .createLibrary.id;
  const student = async (number: string) =>
    (
      await sys.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name: 'Kavya', phone: '9812345670', libraryId: lib, idProof: { type: 'AADHAAR', number } } },
        o,
      )
    ).createStudent.id as string;
  await student('234567890123');
  const hook = (
    await sys.ok(
      `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }`,
      { i: { url: 'http://127.0.0.1:9/hook', eventTypes: ['student.created'] } },
      o,
    )
  ).createWebhookEndpoint.secret as string;
  await sys.ok(`mutation { enrollTotp { secret } }`, {}, o);

  const conn = sys.db.tenant(sys.db.tenantDbName(t.slug));
  const stored = async () => ({
    idProof: ((await conn.collection('students').findOne({ idProof: { $exists: true } }))!.idProof as { sealed: string }).sealed,
    hook: ((await conn.collection('webhook_endpoints').findOne({}))!.secrets as { sealed: string }[])[0]!.sealed,
    totp: (await conn.collection('user_totp').findOne({}))!.secret as string,
  });
  const before = await stored();
  expect(Object.values(before).map(sealedKid)).toEqual(['k1', 'k1', 'k1']);
  const plain = {
    idProof: open([K1], before.idProof, 'pii').toString('utf8'),
    hook: open([K1], before.hook).toString('utf8'),
    totp: open([K1], before.totp).toString('hex'),
  };
  expect(plain.idProof).toBe('234567890123');
  expect(hook).toContain(plain.hook.replace(/^whsec_/, ''));

  const dry = await cli(ring(K2, K1), 'keys', 'reseal', '--dry-run', '--tenant', t.slug);
  expect(dry.code).toBe(EXIT.ok);
  expect(dry.json()).toMatchObject({ dryRun: true, kid: 'k2', databases: 1, resealed: 3, sealedByKid: { k1: 3 }, unreadable: 0 });
  expect(await stored()).toEqual(before);

  const run = await cli(ring(K2, K1), 'keys', 'reseal', '--tenant', t.slug);
  expect(run.code).toBe(EXIT.ok);
  expect(run.json()).toMatchObject({ dryRun: false, resealed: 3, sealedByKid: { k2: 3 }, unreadable: 0 });
  const after = await stored();
  expect(Object.values(after).map(sealedKid)).toEqual(['k2', 'k2', 'k2']);
  // Only the new key is needed to read them: the same secrets.
  expect(open([K2], after.idProof, 'pii').toString('utf8')).toBe(plain.idProof);
  expect(open([K2], after.hook).toString('utf8')).toBe(plain.hook);
  expect(open([K2], after.totp).toString('hex')).toBe(plain.totp);
  expect((await cli(ring(K2, K1), 'keys', 'reseal', '--tenant', t.slug)).json()).toMatchObject({ resealed: 0, sealedByKid: { k2: 3 } });

  // The services still seal with k1: a ring without it cannot read that value, which is reported and left alone.
  await student('345678901234');
  const lost = await cli(ring(K3, K2), 'keys', 'reseal', '--tenant', t.slug);
  expect(lost.code).toBe(EXIT.failed);
  expect(lost.json()).toMatchObject({ unreadable: 1, resealed: 3 });
  const left = await conn
    .collection('students')
    .find({ 'idProof.sealed': { $regex: '^v1\\.k1\\.' } })
    .toArray();
  expect(left).toHaveLength(1);
});
