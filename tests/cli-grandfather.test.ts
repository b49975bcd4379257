import { EXIT } from '../cli/io';
import { runCli } from './helpers/cli';
import { tenantRegistry, type TenantRecord } from '../core/tenancy/registry';
import { startSystem, type GqlResult, type System, type TestTenant } from './helpers/system';
import { sleep } from './helpers/ws';

/**
 * `studyspot tenant grandfather-modules`: the deploy step of module enforcement
 * (#13 item 5). Tenants created before it keep the modules their plan lacks;
 * their own switches stay; later tenants are never grandfathered; idempotent,
 * printed, audited.
 */
let sys: System;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) => runCli(env, ...args);

const record = (slug: string) => tenantRegistry(sys.db.platform()).findOne({ slug }).lean<TenantRecord>();
const codes = (r: GqlResult) => (r.errors ?? []).map((e) => e.extensions?.code);
const TEMPLATES = `{ templates { id } }`;
const PAYMENTS = `{ payments(first: 1) { id } }`;

beforeAll(async () => {
  sys = await startSystem({ TENANT_CACHE_MS: '0' });
  env = { NODE_ENV: 'test', MONGODB_URI: process.env.MONGODB_URI, DB_PREFIX: sys.db.prefix, LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await sys?.stop();
});

describe('tenant grandfather-modules', () => {
  let free: TestTenant;
  let starter: TestTenant;

  it('dry run lists what it would switch on and changes nothing', async () => {
    free = await sys.createTenant('gf-free', { modules: 'plan' });
    starter = await sys.createTenant('gf-starter', { plan: 'starter', modules: { messaging: false } }); // its own choice: off
    await sys.createTenant('gf-pro', { plan: 'professional', modules: 'plan' });
    // Enforcement as deployed: the free tenant lost payments and messaging.
    expect(codes(await sys.gql(PAYMENTS, {}, { token: free.ownerToken }))).toEqual(['MODULE_DISABLED']);

    const dry = await cli('--json', 'tenant', 'grandfather-modules', '--dry-run');
    expect(dry.code).toBe(EXIT.ok);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      unchanged: 1,
      tenants: [
        { slug: 'gf-free', plan: 'free', modules: ['payments', 'messaging', 'analytics'] },
        { slug: 'gf-starter', plan: 'starter', modules: ['analytics'] },
      ],
    });
    expect((await record('gf-free'))!.modules ?? {}).toEqual({});
    expect(await sys.db.platform().collection('platform_operations').countDocuments()).toBe(0);
  });

  it("switches them on once, prints tenants and modules, audits, and keeps the tenants' own switches", async () => {
    const first = await cli('tenant', 'grandfather-modules');
    expect(first.code).toBe(EXIT.ok);
    expect(first.out).toContain('gf-free (free): switched on payments, messaging, analytics');
    expect(first.out).toContain('gf-starter (starter): switched on analytics');
    expect(first.out).toMatch(/2 tenants changed, 1 already had what they need/);
    expect((await record('gf-free'))!.modules).toEqual({ payments: true, messaging: true, analytics: true });
    expect((await record('gf-starter'))!.modules).toMatchObject({ messaging: false, analytics: true });
    expect((await record('gf-pro'))!.modules ?? {}).toEqual({});

    // The free tenant works as before enforcement; the starter's own "off" still holds.
    for (let i = 0; i < 40 && codes(await sys.gql(PAYMENTS, {}, { token: free.ownerToken })).length; i++) await sleep(100);
    expect(codes(await sys.gql(PAYMENTS, {}, { token: free.ownerToken }))).toEqual([]);
    expect(codes(await sys.gql(TEMPLATES, {}, { token: free.ownerToken }))).toEqual([]);
    expect(codes(await sys.gql(TEMPLATES, {}, { token: starter.ownerToken }))).toEqual(['MODULE_DISABLED']);

    // Audited in the tenant's own log (its owner sees why) and in the platform's.
    const log = (await sys.ok(`{ auditLog(filter: { action: "grandfatherModules" }) { action userId role result } }`, {}, { token: free.ownerToken })).auditLog;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'grandfatherModules', userId: 'cli', role: 'operator' });
    expect(JSON.stringify(log[0].result)).toContain('payments');
    expect(await sys.db.platform().collection('platform_audit_log').countDocuments({ action: 'grandfatherModules' })).toBe(1);
  });

  it('is idempotent, never grandfathers tenants created after its first run, and refuses another cutoff', async () => {
    const later = await sys.createTenant('gf-later', { modules: 'plan' });
    const again = await cli('--json', 'tenant', 'grandfather-modules');
    expect(again.code).toBe(EXIT.ok);
    expect(again.json()).toMatchObject({ dryRun: false, tenants: [], unchanged: 3 });
    expect((await record('gf-later'))!.modules ?? {}).toEqual({});
    expect(codes(await sys.gql(PAYMENTS, {}, { token: later.ownerToken }))).toEqual(['MODULE_DISABLED']);
    expect(await sys.db.platform().collection('platform_audit_log').countDocuments({ action: 'grandfatherModules' })).toBe(1);

    const other = await cli('tenant', 'grandfather-modules', '--before', '2099-01-01T00:00:00Z');
    expect(other.code).toBe(EXIT.failed);
    expect(other.err).toContain('already grandfathered with cutoff');
    expect((await record('gf-later'))!.modules ?? {}).toEqual({});
    expect((await cli('tenant', 'grandfather-modules', '--before', 'yesterday')).code).not.toBe(EXIT.ok);
  });
});
