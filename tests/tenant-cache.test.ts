import { Types } from 'mongoose';
import * as registry from '../core/tenancy/registry';
import { isReadOnlyDocument, TenantCache } from '../core/tenancy/tenant-cache';
import { startSystem, type System, type TestTenant } from './helpers/system';

// TTL: the bound for edits behind the model's back; POLL: how soon every other registry write is seen.
const TTL = 3000;
const POLL = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TenantCache', () => {
  const record = (status: registry.TenantStatus, readOnly?: boolean) =>
    ({ _id: new Types.ObjectId(), slug: 'a', status, readOnly, limits: { maxLibraries: 1 } }) as unknown as registry.TenantRecord;

  it('keeps only active, writable entries, frozen, until the TTL or a clear', async () => {
    const c = new TenantCache(50);
    c.set('s', record('suspended'));
    c.set('p', record('provisioning'));
    c.set('r', record('active', true));
    expect(c.size).toBe(0);
    const r = record('active');
    c.set('a', r);
    expect(c.get('a')).toBe(r);
    expect(() => {
      (c.get('a')!.limits as { maxLibraries: number }).maxLibraries = 99;
    }).toThrow(TypeError);
    await new Promise((res) => setTimeout(res, 60));
    expect(c.get('a')).toBeUndefined();
    c.set('b', record('active'));
    c.clear();
    expect(c.get('b')).toBeUndefined();
  });

  it('does not store an entry read before a clear', () => {
    const c = new TenantCache(10_000);
    const before = c.generation;
    c.clear(); // a registry change seen while the lookup was in flight
    c.set('a', record('active'), before);
    expect(c.get('a')).toBeUndefined();
    c.set('a', record('active'), c.generation);
    expect(c.get('a')).toBeDefined();
  });

  it('is bounded: the oldest entry goes first', () => {
    const c = new TenantCache(10_000, 2);
    for (const k of ['x', 'y', 'z']) c.set(k, record('active'));
    expect([c.get('x'), !!c.get('y'), !!c.get('z')]).toEqual([undefined, true, true]);
  });

  it('only documents without a mutation or subscription are read-only', () => {
    expect(isReadOnlyDocument('query Q__student__0 { students { id } }')).toBe(true);
    expect(isReadOnlyDocument('{ _entities(representations: $r) { id } }')).toBe(true);
    expect(isReadOnlyDocument('mutation M { checkIn(studentId: "x") { id } }')).toBe(false);
    expect(isReadOnlyDocument('query A { a } mutation B { b }')).toBe(false);
    expect(isReadOnlyDocument(undefined)).toBe(false);
  });
});

describe('registry lookups through the gateway with the tenant cache', () => {
  let sys: System;
  let t: TestTenant;
  beforeAll(async () => {
    sys = await startSystem({ TENANT_CACHE_MS: String(TTL), TENANT_CACHE_POLL_MS: String(POLL) });
    t = await sys.createTenant('cache-a');
  });
  afterAll(() => sys?.stop());
  const spyLookups = () => jest.spyOn(registry, 'findTenant');

  it('repeated reads skip the registry; every mutation reads it', async () => {
    await sleep(POLL * 3); // past the polls that see createTenant's own registry writes
    // Each subgraph has its own cache: the first read fills the tenant's and the credits'.
    await sys.ok('{ libraries { id } wallet { sms } }', {}, { token: t.ownerToken });
    const spy = spyLookups();
    try {
      await sys.ok('{ libraries { id } wallet { sms } }', {}, { token: t.ownerToken });
      expect(spy).not.toHaveBeenCalled();
      await sys.ok('mutation { createLibrary(input: { name: "Hall", capacity: 3 }) { id } }', {}, { token: t.ownerToken });
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('a tenant no request has reached yet is answered from the preloaded registry, with no lookup', async () => {
    const fresh = await sys.createTenant('cache-fresh');
    await sleep(POLL * 3 + 500); // the version poll sees createTenant's writes; the reload follows 200 ms later
    const spy = spyLookups();
    try {
      expect((await sys.ok('{ libraries { id } wallet { sms } }', {}, { token: fresh.ownerToken })).libraries).toEqual([]);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('a suspension the services were not told about: writes are refused at once, reads once the registry is reloaded (within the TTL)', async () => {
    const other = await sys.createTenant('cache-b');
    await sleep(POLL * 3);
    await sys.ok('{ libraries { id } }', {}, { token: other.ownerToken });
    // Straight in the database: no event, so only the TTL can end the cached entry.
    await sys.db
      .platform()
      .collection('tenants')
      .updateOne({ _id: new Types.ObjectId(other.id) }, { $set: { status: 'suspended' } });
    const write = await sys.gql('mutation { createLibrary(input: { name: "Late", capacity: 3 }) { id } }', {}, { token: other.ownerToken });
    expect(write.errors?.[0]?.extensions?.code).toBe('TENANT_SUSPENDED');
    await sleep(TTL);
    const read = await sys.gql('{ libraries { id } }', {}, { token: other.ownerToken });
    expect(read.errors?.[0]?.extensions?.code).toBe('TENANT_SUSPENDED');
    expect(await sys.db.tenant(sys.db.tenantDbName(other.slug)).collection('libraries').countDocuments({ name: 'Late' })).toBe(0);
  });

  it('suspendTenant is announced: the next read is refused, with no wait', async () => {
    const third = await sys.createTenant('cache-c');
    await sys.ok('{ libraries { id } }', {}, { token: third.ownerToken });
    await sys.ok('mutation($id: ID!) { suspendTenant(id: $id) { status } }', { id: third.id }, { token: sys.superToken });
    const read = await sys.gql('{ libraries { id } }', {}, { token: third.ownerToken });
    expect(read.errors?.[0]?.extensions?.code).toBe('TENANT_SUSPENDED');
  });

  it('a registry write no service announced (another process, no shared bus) reaches reads within a poll', async () => {
    const fourth = await sys.createTenant('cache-d');
    await sleep(POLL * 3);
    await sys.ok('{ libraries { id } }', {}, { token: fourth.ownerToken });
    // Through the registry model, as the CLI on another machine writes it; nothing is published.
    await registry.tenantRegistry(sys.db.platform()).updateOne({ _id: new Types.ObjectId(fourth.id) }, { $set: { status: 'suspended' } });
    await sleep(POLL * 4); // well inside the TTL: only the version poll can end the cached entry
    const read = await sys.gql('{ libraries { id } }', {}, { token: fourth.ownerToken });
    expect(read.errors?.[0]?.extensions?.code).toBe('TENANT_SUSPENDED');
  });
});
