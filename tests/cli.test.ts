import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { collectionNames, countAll, indexSpecs } from '../cli/archive';
import { EXIT } from '../cli/io';
import { runCli } from './helpers/cli';
import { migrate } from '../cli/migrate';
import { tenantRegistry, type TenantRecord } from '../core/tenancy/registry';
import { DbManager } from '../core/tenancy/db';
import { MIGRATIONS, type Migration } from '../migrations';
import { startSystem, TEST_PASSWORD, type System, type TestTenant } from './helpers/system';

const FIXTURE = join(__dirname, 'fixtures', 'dynamodb-students.json');

let sys: System;
let dir: string;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) => runCli(env, ...args);

const record = (slug: string) => tenantRegistry(sys.db.platform()).findOne({ slug }).lean<TenantRecord>();
const tenantConn = async (slug: string): Promise<Connection> => sys.db.tenant((await record(slug))!.dbName);

async function seedLibraryAndStudents(t: TestTenant, n: number, libraryName = 'Central Hall') {
  const lib = await sys.ok(
    `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`,
    { i: { name: libraryName, capacity: 20 } },
    { token: t.ownerToken },
  );
  for (let i = 0; i < n; i++) {
    await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name: `Student ${i}`, phone: `90000000${10 + i}`, libraryId: lib.createLibrary.id } },
      { token: t.ownerToken },
    );
  }
  return lib.createLibrary.id as string;
}

const STUDENT_NAMES = `query { students(first: 50) { totalCount edges { node { name } } } }`;

beforeAll(async () => {
  // A second "cluster": the same FerretDB under another name (tenant DB names carry the cluster, so they never collide).
  process.env.MONGODB_CLUSTERS = `east=${process.env.MONGODB_URI}`;
  sys = await startSystem();
  dir = mkdtempSync(join(tmpdir(), 'studyspot-cli-'));
  env = {
    NODE_ENV: 'test',
    MONGODB_URI: process.env.MONGODB_URI,
    DB_PREFIX: sys.db.prefix,
    LOG_LEVEL: 'silent',
    MONGODB_CLUSTERS: process.env.MONGODB_CLUSTERS,
  };
});

afterAll(async () => {
  await sys?.stop();
  delete process.env.MONGODB_CLUSTERS;
  rmSync(dir, { recursive: true, force: true });
});

describe('arguments and output', () => {
  it('rejects bad arguments with exit code 2 and a clear message', async () => {
    const missing = await cli('tenant', 'suspend');
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.err).toMatch(/missing required argument 'slug'/);
    expect((await cli('tenant', 'create', 'x-y')).err).toMatch(/required option '--name <name>'/);
    const badSlug = await cli('tenant', 'create', 'Bad Slug!', '--name', 'X Y', '--owner-email', 'o@x.test');
    expect(badSlug.code).toBe(EXIT.usage);
    expect(badSlug.err).toMatch(/slug: lowercase letters/);
    const unknown = await cli('tenant', 'frobnicate');
    expect(unknown.code).toBe(EXIT.usage);
    expect((await cli('tenant', 'list', '--status', 'sleepy')).code).toBe(EXIT.usage);
    expect((await cli()).code).toBe(EXIT.usage);
    expect((await runCli({ DB_PREFIX: sys.db.prefix }, 'tenant', 'list')).code).toBe(EXIT.usage);
  });

  it('reports a missing tenant with exit code 1, as JSON with --json', async () => {
    const res = await cli('--json', 'tenant', 'suspend', 'no-such-tenant');
    expect(res.code).toBe(EXIT.failed);
    expect(res.json().error.message).toMatch(/No tenant with slug "no-such-tenant"/);
  });
});

describe('tenant create | list | suspend | reactivate', () => {
  it('creates a tenant identical to an API-created one, usable through the gateway', async () => {
    const res = await cli(
      '--json',
      'tenant',
      'create',
      'cli-made',
      '--name',
      'CLI Made',
      '--owner-email',
      'owner@cli-made.test',
      '--owner-password',
      TEST_PASSWORD,
    );
    expect(res.code).toBe(0);
    expect(res.json().tenant).toMatchObject({ slug: 'cli-made', status: 'active', cluster: 'default' });
    await sys.createTenant('api-made');
    const [cliDb, apiDb] = [await tenantConn('cli-made'), await tenantConn('api-made')];
    const cliCollections = await collectionNames(cliDb);
    expect(cliCollections).toEqual(await collectionNames(apiDb));
    for (const c of cliCollections) {
      expect((await indexSpecs(cliDb, c)).map((i) => i.name).sort()).toEqual((await indexSpecs(apiDb, c)).map((i) => i.name).sort());
    }
    // And the state a new tenant starts with (each subgraph's onProvision): analytics rollups built.
    for (const conn of [cliDb, apiDb]) expect(await conn.collection('analytics_state').findOne({})).toMatchObject({ _id: 'rollups', version: 1 });
    const { accessToken } = await sys.login('owner@cli-made.test', TEST_PASSWORD, 'cli-made');
    const lib = await sys.ok(`mutation { createLibrary(input: { name: "Hall", capacity: 5 }) { id } }`, {}, { token: accessToken });
    expect(lib.createLibrary.id).toBeTruthy();
    const again = await cli('tenant', 'create', 'cli-made', '--name', 'CLI Made', '--owner-email', 'x@cli-made.test');
    expect(again.code).toBe(EXIT.failed);
    expect(again.err).toMatch(/already exists/);
    const list = await cli('--json', 'tenant', 'list');
    expect(list.json().map((t: { slug: string }) => t.slug)).toEqual(expect.arrayContaining(['cli-made', 'api-made']));
    expect((await cli('tenant', 'list')).out).toMatch(/SLUG\s+NAME\s+STATUS/);
  });

  it('suspends (logins refused) and reactivates', async () => {
    const t = await sys.createTenant('cli-susp');
    expect((await cli('tenant', 'suspend', 'cli-susp')).out).toMatch(/Suspended cli-susp/);
    const denied = await sys.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email: t.ownerEmail, password: TEST_PASSWORD, tenant: 'cli-susp' },
    });
    expect(denied.errors?.[0].extensions?.code).toBe('TENANT_SUSPENDED');
    expect((await cli('tenant', 'suspend', 'cli-susp')).out).toMatch(/already suspended/);
    expect((await cli('tenant', 'reactivate', 'cli-susp')).code).toBe(0);
    await sys.login(t.ownerEmail, TEST_PASSWORD, 'cli-susp');
  });
});

describe('tenant export | import', () => {
  it('round-trips a tenant with equal counts and refuses an existing slug', async () => {
    const t = await sys.createTenant('cli-src');
    await seedLibraryAndStudents(t, 3);
    const file = join(dir, 'cli-src.jsonl.gz');
    const exp = await cli('--json', 'tenant', 'export', 'cli-src', file);
    expect(exp.err).toBe('');
    expect(exp.code).toBe(0);
    const refused = await cli('tenant', 'import', file);
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.err).toMatch(/already exists.*--as/);
    const imp = await cli('--json', 'tenant', 'import', file, '--as', 'cli-copy');
    expect(imp.err).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.json()).toMatchObject({ from: 'cli-src', keptId: false, documents: exp.json().documents });
    expect(await countAll(await tenantConn('cli-copy'))).toEqual(await countAll(await tenantConn('cli-src')));
    // The copy works through the API: its owner logs in and sees the same students.
    const { accessToken } = await sys.login(t.ownerEmail, TEST_PASSWORD, 'cli-copy');
    expect((await sys.ok(STUDENT_NAMES, {}, { token: accessToken })).students.totalCount).toBe(3);
    expect((await cli('tenant', 'import', file, '--as', 'cli-copy')).code).toBe(EXIT.failed);
    expect((await cli('tenant', 'import', join(dir, 'missing.gz'), '--as', 'zz')).code).toBe(EXIT.failed);
  });
});

describe('migrate', () => {
  it('applies pending migrations once; a second run is a no-op; --dry-run writes nothing', async () => {
    await sys.createTenant('cli-mig');
    const dry = await cli('--json', 'migrate', '--dry-run', '--tenant', 'cli-mig');
    expect(dry.json()).toMatchObject({ dryRun: true, tenants: 1, applied: 0, pending: MIGRATIONS.length });
    expect(await (await tenantConn('cli-mig')).db!.collection('_migrations').countDocuments()).toBe(0);
    const first = await cli('--json', 'migrate');
    expect(first.code).toBe(0);
    expect(first.json().applied).toBeGreaterThanOrEqual(2);
    expect(first.json().failed).toBe(0);
    const second = await cli('--json', 'migrate');
    expect(second.json()).toMatchObject({ applied: 0, failed: 0 });
    expect((await cli('migrate')).out).toMatch(/0 applied/);
  });

  it('resumes after an interruption: only what did not run is applied', async () => {
    await sys.createTenant('cli-int-a');
    await sys.createTenant('cli-int-b');
    const ran: string[] = [];
    let crash = true;
    const step = (id: string): Migration => ({
      id,
      description: id,
      pending: async () => 1,
      up: async (conn) => {
        if (id === '900-second' && crash && conn.name.endsWith('cli-int-b')) throw new Error('simulated crash');
        ran.push(`${conn.name.replace(/.*tenant_/, '')}:${id}`);
        return 1;
      },
    });
    const migrations = [step('900-first'), step('900-second')];
    const db = await DbManager.connect(process.env.MONGODB_URI!, sys.db.prefix);
    try {
      const one = await migrate(db, { migrations, slug: undefined });
      expect(one.failed).toBe(1);
      expect(one.results.find((r) => r.slug === 'cli-int-b')!.error).toMatchObject({ id: '900-second', message: 'simulated crash' });
      crash = false;
      ran.length = 0;
      const two = await migrate(db, { migrations });
      expect(two.failed).toBe(0);
      expect(ran).toEqual(['cli-int-b:900-second']);
      ran.length = 0;
      expect((await migrate(db, { migrations })).applied).toBe(0);
      expect(ran).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe('import dynamodb', () => {
  it('imports students with payments and attendance, reports duplicates and rejections, and a re-run changes nothing', async () => {
    const t = await sys.createTenant('cli-ddb');
    await seedLibraryAndStudents(t, 0);
    const first = await cli('--json', 'import', 'dynamodb', 'cli-ddb', FIXTURE);
    expect(first.code).toBe(EXIT.failed); // rejected rows need attention
    const r = first.json();
    expect(r).toMatchObject({ total: 8, imported: 3, skipped: 1, rejected: 4 });
    const reasons = r.rows.filter((x: { status: string }) => x.status === 'rejected').map((x: { reasons: string[] }) => x.reasons.join('; '));
    expect(reasons).toEqual([
      expect.stringMatching(/mobile: must be 10-15 digits/),
      expect.stringMatching(/no library is named "Mars Campus"/),
      expect.stringMatching(/not a student item/),
      expect.stringMatching(/payments\[0\]\.amount/),
    ]);
    const conn = await tenantConn('cli-ddb');
    const counts = await countAll(conn);
    expect(counts.students).toBe(3);
    expect(counts.payments).toBe(3);
    expect(counts.attendance).toBe(3);
    const students = await sys.ok(
      `query { students(first: 10) { totalCount edges { node { name status payments { amount } } } } }`,
      {},
      { token: t.ownerToken },
    );
    const aarav = students.students.edges.find((e: { node: { name: string } }) => e.node.name === 'Aarav Sharma').node;
    expect(aarav.payments.map((p: { amount: number }) => p.amount)).toEqual([150000, 150000]);
    expect(await conn.db!.collection('dynamodb_imports').findOne({ _id: 'STUDENT#ALL|STUDENT#aarav@example.com' as never })).toMatchObject({
      batch: '2024-A',
      subjects: ['Maths', 'Physics'],
      complete: true,
    });

    const second = await cli('--json', 'import', 'dynamodb', 'cli-ddb', FIXTURE);
    expect(second.json()).toMatchObject({ imported: 0, skipped: 4, rejected: 4 });
    expect(await countAll(conn)).toEqual(counts);
    const human = await cli('import', 'dynamodb', 'cli-ddb', FIXTURE);
    expect(human.out).toMatch(/0 imported, 4 skipped as duplicates, 4 rejected/);
    expect((await cli('import', 'dynamodb', 'cli-ddb', join(dir, 'nope.json'))).err).toMatch(/Cannot read/);
  });
});

describe('tenant move across clusters', () => {
  it('refuses mutations while read-only, moves with verified counts, and the gateway serves the tenant from the new cluster', async () => {
    const t = await sys.createTenant('cli-move');
    const libraryId = await seedLibraryAndStudents(t, 2);
    // Read-only: mutations refused with TENANT_READ_ONLY (nothing written), reads go on.
    await tenantRegistry(sys.db.platform()).updateOne({ slug: 'cli-move' }, { $set: { readOnly: true } });
    const blocked = await sys.gql(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name: 'Blocked', phone: '9111111111', libraryId } },
      { token: t.ownerToken },
    );
    expect(blocked.errors?.[0].extensions?.code).toBe('TENANT_READ_ONLY');
    expect((await sys.ok(STUDENT_NAMES, {}, { token: t.ownerToken })).students.totalCount).toBe(2);
    expect((await cli('tenant', 'move', 'cli-move', 'east')).err).toMatch(/read-only/);
    expect((await cli('tenant', 'writable', 'cli-move')).out).toMatch(/writable again/);

    expect((await cli('tenant', 'move', 'cli-move', 'mars')).code).toBe(EXIT.usage);
    const before = await countAll(await tenantConn('cli-move'));
    const moved = await cli('--json', 'tenant', 'move', 'cli-move', 'east', '--grace-ms', '0');
    expect(moved.err).toBe('');
    expect(moved.code).toBe(0);
    const rec = (await record('cli-move'))!;
    expect(rec).toMatchObject({ cluster: 'east', dbName: `east/${sys.db.prefix}east_tenant_cli-move` });
    expect(rec.readOnly).toBeUndefined();
    expect(await countAll(sys.db.tenant(rec.dbName))).toEqual(before);
    // Through the gateway: same data, and new writes land on the new cluster's database.
    expect((await sys.ok(STUDENT_NAMES, {}, { token: t.ownerToken })).students.totalCount).toBe(2);
    await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name: 'After Move', phone: '9222222222', libraryId } },
      { token: t.ownerToken },
    );
    expect(await sys.db.tenant(rec.dbName).db!.collection('students').countDocuments()).toBe(3);
    expect(await sys.db.tenant(moved.json().from.dbName).db!.collection('students').countDocuments()).toBe(2);
    expect((await cli('tenant', 'move', 'cli-move', 'east')).err).toMatch(/already on cluster "east"/);
    expect((await cli('--json', 'tenant', 'list')).json().find((x: { slug: string }) => x.slug === 'cli-move').cluster).toBe('east');
  });
});
