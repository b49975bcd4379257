import { stockMasterWallet } from './helpers/fixtures';
import { Types } from 'mongoose';
import { startSystem, type GqlResult, type System, type TestTenant } from './helpers/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
  // Allocations draw from the platform master wallet: stock it first (tests/credits-economy.test.ts covers it).
  await stockMasterWallet(sys);
});
afterAll(() => sys?.stop());

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const ledger = (t: TestTenant) => tenantDb(t).collection<Doc>('credit_ledger');
const wallets = (t: TestTenant) => tenantDb(t).collection<Doc>('wallets');
const walletDoc = async (t: TestTenant) => (await wallets(t).findOne({ _id: 'wallet' as never })) as Doc | null;

const ALLOCATE = `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { id sms whatsapp email } }`;
const DEBIT = `mutation($i: DebitCreditsInput!) { debitCredits(input: $i) { channel balanceAfter entryId } }`;
const REFUND = `mutation($r: String!) { refundCredits(reference: $r) }`;

let keySeq = 0;
const newKey = (prefix = 'key') => `${prefix}-${Date.now()}-${++keySeq}`;

function allocate(t: TestTenant, channel: string, amount: number, idempotencyKey = newKey(), token = sys.superToken) {
  return sys.gql(ALLOCATE, { i: { tenantId: t.id, channel, amount, idempotencyKey } }, { token });
}

/** The internal API is @inaccessible in the supergraph: call the credits subgraph itself. */
function debit(token: string, channel: string, reference: string, amount?: number) {
  return sys.gql(DEBIT, { i: { channel, reference, ...(amount === undefined ? {} : { amount }) } }, { token, url: sys.subgraphUrls.credits });
}

/** Balances as the API reports them (platform token naming the tenant). */
async function balances(t: TestTenant): Promise<Record<string, number>> {
  return (await sys.ok(`{ wallet { sms whatsapp email } }`, {}, { token: sys.superToken, tenant: t.slug })).wallet;
}

/**
 * The money invariant, per channel: applied entries form a gap-free chain 1..n, each
 * balanceAfter is the running sum of deltas, and the reported balance is that sum.
 */
async function expectInvariant(t: TestTenant) {
  const reported = await balances(t);
  const applied = await ledger(t).find({ status: 'applied' }).toArray();
  for (const ch of ['sms', 'whatsapp', 'email']) {
    const chain = applied.filter((e) => e.channel === ch).sort((a, b) => a.seq - b.seq);
    expect(chain.map((e) => e.seq)).toEqual(chain.map((_, i) => i + 1));
    let sum = 0;
    for (const e of chain) {
      sum += e.delta;
      expect({ id: e._id, balanceAfter: e.balanceAfter }).toEqual({ id: `${ch}:${e.seq}`, balanceAfter: sum });
    }
    expect({ ch, balance: reported[ch] }).toEqual({ ch, balance: sum });
    expect(sum).toBeGreaterThanOrEqual(0);
    // After a quiet read the snapshot document agrees with the chain.
    const w = await walletDoc(t);
    expect({ ch, seq: w?.seq?.[ch], balance: w?.[ch] }).toEqual({ ch, seq: chain.length, balance: sum });
  }
}

describe('credits: allocation and reads', () => {
  it('allocates credits with a platform token; the owner sees balance and ledger', async () => {
    const t = await sys.createTenant('cr-alloc');
    const res = await allocate(t, 'SMS', 100);
    expect(res.errors).toBeUndefined();
    expect(res.data.allocateCredits).toEqual({ id: t.id, sms: 100, whatsapp: 0, email: 0 });
    await sys.ok(ALLOCATE, { i: { tenantId: t.id, channel: 'EMAIL', amount: 7, idempotencyKey: newKey(), note: 'welcome' } }, { token: sys.superToken });

    const data = await sys.ok(`{ wallet { id sms email updatedAt ledger { delta reason channel balanceAfter note reference } } }`, {}, { token: t.ownerToken });
    expect(data.wallet).toMatchObject({ id: t.id, sms: 100, email: 7 });
    expect(data.wallet.updatedAt).toEqual(expect.any(String));
    expect(data.wallet.ledger).toEqual([
      expect.objectContaining({ delta: 7, reason: 'allocation', channel: 'EMAIL', balanceAfter: 7, note: 'welcome' }),
      expect.objectContaining({ delta: 100, reason: 'allocation', channel: 'SMS', balanceAfter: 100, note: null }),
    ]);
    const only = await sys.ok(
      `{ creditLedger(channel: SMS, first: 5) { delta channel } wallet { ledger(channel: EMAIL) { delta } } }`,
      {},
      { token: t.ownerToken },
    );
    expect(only.creditLedger).toEqual([{ delta: 100, channel: 'SMS' }]);
    expect(only.wallet.ledger).toEqual([{ delta: 7 }]);
    await expectInvariant(t);
  });

  it('a manager reads the wallet; Tenant.wallet joins the tenant subgraph through the gateway', async () => {
    const t = await sys.createTenant('cr-me');
    await sys.ok(ALLOCATE, { i: { tenantId: t.id, channel: 'WHATSAPP', amount: 12, idempotencyKey: newKey() } }, { token: sys.superToken });
    const data = await sys.ok(`{ me { tenant { name wallet { sms whatsapp email } } } }`, {}, { token: t.ownerToken });
    expect(data.me.tenant).toEqual({ name: 'Tenant cr-me', wallet: { sms: 0, whatsapp: 12, email: 0 } });
    const manager = await sys.userToken(t, 'manager');
    expect((await sys.ok(`{ wallet { whatsapp } }`, {}, { token: manager })).wallet.whatsapp).toBe(12);
    const staff = await sys.userToken(t, 'staff');
    const denied = await sys.gql(`{ wallet { whatsapp } }`, {}, { token: staff });
    expect(code(denied)).toBe('FORBIDDEN');
  });

  it('a new tenant has an all-zero wallet, created lazily', async () => {
    const t = await sys.createTenant('cr-empty');
    expect(await walletDoc(t)).toBeNull();
    const data = await sys.ok(`{ wallet { sms whatsapp email ledger { delta } } creditLedger { delta } }`, {}, { token: t.ownerToken });
    expect(data).toEqual({ wallet: { sms: 0, whatsapp: 0, email: 0, ledger: [] }, creditLedger: [] });
    expect(await walletDoc(t)).toMatchObject({ sms: 0, whatsapp: 0, email: 0 });
  });

  it('reads only the channels a query selects: 1 snapshot + 2 lookups per channel', async () => {
    const t = await sys.createTenant('cr-lazy');
    for (const ch of ['SMS', 'WHATSAPP', 'EMAIL']) await allocate(t, ch, 5);
    await balances(t); // the snapshot now points at every head
    const reads = async (query: string) => {
      const seen: string[] = [];
      const off = sys.db.onCommand((e) => {
        if (e.databaseName === sys.db.tenantDbName(t.slug) && e.commandName === 'find') seen.push(String(e.command.find));
      });
      const data = await sys.ok(query, {}, { token: t.ownerToken });
      off();
      return { data, wallets: seen.filter((c) => c === 'wallets').length, ledger: seen.filter((c) => c === 'credit_ledger').length };
    };
    expect(await reads('{ wallet { sms } }')).toEqual({ data: { wallet: { sms: 5 } }, wallets: 1, ledger: 2 });
    expect(await reads('{ wallet { sms email thresholds { sms } } }')).toEqual({
      data: { wallet: { sms: 5, email: 5, thresholds: { sms: 10 } } },
      wallets: 1,
      ledger: 4,
    });
    const all = await reads('{ wallet { sms whatsapp email updatedAt } }');
    expect(all).toMatchObject({ data: { wallet: { sms: 5, whatsapp: 5, email: 5 } }, wallets: 1, ledger: 6 });
    expect(all.data.wallet.updatedAt).toEqual(expect.any(String));
  });

  it('the same idempotencyKey allocates once, even concurrently; reused for another amount is CONFLICT', async () => {
    const t = await sys.createTenant('cr-idem');
    const key = newKey('idem');
    const first = await allocate(t, 'SMS', 30, key);
    const again = await allocate(t, 'SMS', 30, key);
    expect(first.data.allocateCredits.sms).toBe(30);
    expect(again.errors).toBeUndefined();
    expect(again.data.allocateCredits.sms).toBe(30);

    const key2 = newKey('burst');
    const burst = await Promise.all(Array.from({ length: 8 }, () => allocate(t, 'SMS', 5, key2)));
    expect(burst.map((r) => r.errors)).toEqual(Array(8).fill(undefined));
    expect((await balances(t)).sms).toBe(35);

    const reused = await allocate(t, 'SMS', 31, key);
    expect(code(reused)).toBe('CONFLICT');
    expect(await ledger(t).countDocuments()).toBe(2);
    await expectInvariant(t);
  });
});

describe('credits: permissions and input', () => {
  it('owner, manager and staff cannot allocate credits (FORBIDDEN) and nothing changes', async () => {
    const t = await sys.createTenant('cr-perm');
    const tokens = [t.ownerToken, await sys.userToken(t, 'manager'), await sys.userToken(t, 'staff')];
    for (const token of tokens) {
      const res = await allocate(t, 'SMS', 1000, newKey(), token);
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.data?.allocateCredits ?? null).toBeNull();
    }
    expect(await ledger(t).countDocuments()).toBe(0);
    expect((await balances(t)).sms).toBe(0);
    expect(code(await sys.gql(ALLOCATE, { i: { tenantId: t.id, channel: 'SMS', amount: 5, idempotencyKey: newKey() } }))).toBe('UNAUTHENTICATED');
  });

  it('rates are FORBIDDEN to the owner and readable by platform roles, with defaults', async () => {
    const t = await sys.createTenant('cr-rates');
    const denied = await sys.gql(`{ wallet { sms rates { sms } } }`, {}, { token: t.ownerToken });
    expect(code(denied)).toBe('FORBIDDEN');

    const list = await sys.ok(`{ tenants { slug wallet { sms rates { sms whatsapp email } } } }`, {}, { token: sys.superToken });
    const mine = list.tenants.find((x: Doc) => x.slug === 'cr-rates');
    expect(mine.wallet).toEqual({ sms: 0, rates: { sms: 25, whatsapp: 60, email: 5 } });

    await sys.db
      .platform()
      .collection<Doc>('credit_rates')
      .insertOne({ _id: 'rates', sms: 30 } as Doc);
    const after = await sys.ok(`{ wallet { rates { sms whatsapp } } }`, {}, { token: sys.superToken, tenant: 'cr-rates' });
    expect(after.wallet.rates).toEqual({ sms: 30, whatsapp: 60 });
  });

  it('rejects bad allocation input with BAD_USER_INPUT and writes nothing', async () => {
    const t = await sys.createTenant('cr-input');
    await sys.ok(ALLOCATE, { i: { tenantId: t.id, channel: 'SMS', amount: 10, idempotencyKey: newKey() } }, { token: sys.superToken });
    const base = { tenantId: t.id, channel: 'SMS', amount: 5, idempotencyKey: newKey() };
    const bad: Doc[] = [
      { amount: 0 },
      { amount: -5 },
      { amount: 10_000_001 },
      { amount: 2 ** 40 },
      { amount: 1.5 },
      { amount: '5' },
      { tenantId: 'not-an-id' },
      { tenantId: `${t.id}x` },
      { channel: 'FAX' },
      { channel: 'sms' },
      { idempotencyKey: 'short' },
      { idempotencyKey: 'x'.repeat(101) },
      { idempotencyKey: 'has space here' },
      { note: 'n'.repeat(201) },
    ];
    for (const patch of bad) {
      const res = await sys.gql(ALLOCATE, { i: { ...base, ...patch } }, { token: sys.superToken });
      expect({ patch, code: code(res) }).toEqual({ patch, code: 'BAD_USER_INPUT' });
    }
    const unknown = await sys.gql(ALLOCATE, { i: { ...base, tenantId: new Types.ObjectId().toHexString() } }, { token: sys.superToken });
    expect(code(unknown)).toBe('NOT_FOUND');
    expect(await ledger(t).countDocuments()).toBe(1);
    expect((await balances(t)).sms).toBe(10);

    // The one page-size rule (core/pagination.ts): 1..200 (it was 1..100 before issue 16).
    for (const first of [0, 201, -1]) {
      expect(code(await sys.gql(`query($f: Int) { creditLedger(first: $f) { delta } }`, { f: first }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
      expect(code(await sys.gql(`query($f: Int) { wallet { ledger(first: $f) { delta } } }`, { f: first }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    }
    const bigDebit = await debit(t.ownerToken, 'SMS', newKey('big'), 1001);
    expect(code(bigDebit)).toBe('BAD_USER_INPUT');
    expect(code(await debit(t.ownerToken, 'SMS', 'short'))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(REFUND, { r: 'x' }, { token: t.ownerToken, url: sys.subgraphUrls.credits }))).toBe('BAD_USER_INPUT');
    expect(await ledger(t).countDocuments()).toBe(1);
  });
});

describe('credits: internal debit API', () => {
  it('is not reachable through the gateway, and needs messages:send on the subgraph', async () => {
    const t = await sys.createTenant('cr-hidden');
    await allocate(t, 'SMS', 5);
    const viaGateway = await sys.gql(DEBIT, { i: { channel: 'SMS', reference: newKey('gw') } }, { token: t.ownerToken });
    expect(viaGateway.errors?.length).toBeGreaterThan(0);
    expect(viaGateway.data?.debitCredits).toBeUndefined();
    const refundViaGateway = await sys.gql(REFUND, { r: newKey('gw') }, { token: t.ownerToken });
    expect(refundViaGateway.errors?.length).toBeGreaterThan(0);
    const staff = await sys.userToken(t, 'staff');
    expect(code(await debit(staff, 'SMS', newKey('staff')))).toBe('FORBIDDEN');
    expect(code(await debit('', 'SMS', newKey('anon')))).toBe('UNAUTHENTICATED');
    expect((await balances(t)).sms).toBe(5);
    expect(await ledger(t).countDocuments()).toBe(1);
  });

  it('50 concurrent debits against 20 credits: exactly 20 succeed, 30 INSUFFICIENT_BALANCE, balance 0', async () => {
    const t = await sys.createTenant('cr-race');
    await sys.ok(ALLOCATE, { i: { tenantId: t.id, channel: 'SMS', amount: 20, idempotencyKey: newKey() } }, { token: sys.superToken });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => debit(t.ownerToken, 'SMS', `race-msg-${i}`)));
    const ok = results.filter((r) => !r.errors);
    const failed = results.filter((r) => r.errors);
    expect(ok).toHaveLength(20);
    expect(failed).toHaveLength(30);
    expect(new Set(failed.map(code))).toEqual(new Set(['INSUFFICIENT_BALANCE']));
    // Every success saw its own balance: no two debits took the same credit.
    expect(ok.map((r) => r.data.debitCredits.balanceAfter).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await balances(t)).sms).toBe(0);
    expect(await ledger(t).countDocuments({ status: 'applied', reason: 'message' })).toBe(20);
    expect(await ledger(t).countDocuments({ status: 'rejected' })).toBe(30);
    await expectInvariant(t);
    const read = await sys.ok(`{ wallet { sms } creditLedger(first: 100, channel: SMS) { delta } }`, {}, { token: t.ownerToken });
    expect(read.wallet.sms).toBe(0);
    expect(read.creditLedger).toHaveLength(21);
  });

  it('a retried debit (same reference) is taken once, sequentially and concurrently', async () => {
    const t = await sys.createTenant('cr-retry');
    await allocate(t, 'WHATSAPP', 10);
    const ref = newKey('msg');
    const first = await debit(t.ownerToken, 'WHATSAPP', ref, 3);
    const again = await debit(t.ownerToken, 'WHATSAPP', ref, 3);
    expect(first.data.debitCredits).toMatchObject({ channel: 'WHATSAPP', balanceAfter: 7 });
    expect(again.data.debitCredits).toEqual(first.data.debitCredits);

    const ref2 = newKey('msg');
    const burst = await Promise.all(Array.from({ length: 10 }, () => debit(t.ownerToken, 'WHATSAPP', ref2, 2)));
    expect(burst.map((r) => r.errors)).toEqual(Array(10).fill(undefined));
    expect(new Set(burst.map((r) => r.data.debitCredits.entryId)).size).toBe(1);
    expect((await balances(t)).whatsapp).toBe(5);

    expect(code(await debit(t.ownerToken, 'WHATSAPP', ref, 4))).toBe('CONFLICT');
    expect(code(await debit(t.ownerToken, 'SMS', ref, 3))).toBe('CONFLICT');
    // A rejected debit stays rejected for its reference.
    const poor = newKey('poor');
    expect(code(await debit(t.ownerToken, 'WHATSAPP', poor, 50))).toBe('INSUFFICIENT_BALANCE');
    expect(code(await debit(t.ownerToken, 'WHATSAPP', poor, 50))).toBe('INSUFFICIENT_BALANCE');
    expect((await balances(t)).whatsapp).toBe(5);
    await expectInvariant(t);
  });

  it('refundCredits gives an applied debit back once; unknown or rejected debits are not refunded', async () => {
    const t = await sys.createTenant('cr-refund');
    await allocate(t, 'EMAIL', 4);
    const ref = newKey('mail');
    await debit(t.ownerToken, 'EMAIL', ref, 3);
    const refundOpts = { token: t.ownerToken, url: sys.subgraphUrls.credits };
    const twice = await Promise.all([sys.gql(REFUND, { r: ref }, refundOpts), sys.gql(REFUND, { r: ref }, refundOpts)]);
    expect(twice.map((r) => r.data?.refundCredits)).toEqual([true, true]);
    expect((await sys.gql(REFUND, { r: ref }, refundOpts)).data.refundCredits).toBe(true);
    expect((await balances(t)).email).toBe(4);
    expect(await ledger(t).countDocuments({ reason: 'refund' })).toBe(1);

    expect((await sys.gql(REFUND, { r: newKey('never') }, refundOpts)).data.refundCredits).toBe(false);
    const poor = newKey('poor');
    expect(code(await debit(t.ownerToken, 'EMAIL', poor, 99))).toBe('INSUFFICIENT_BALANCE');
    expect((await sys.gql(REFUND, { r: poor }, refundOpts)).data.refundCredits).toBe(false);
    expect((await balances(t)).email).toBe(4);
    const entries = await sys.ok(`{ creditLedger { delta reason reference } }`, {}, { token: t.ownerToken });
    expect(entries.creditLedger.map((e: Doc) => e.reason)).toEqual(['refund', 'message', 'allocation']);
    await expectInvariant(t);
  });
});

describe('credits: crash recovery and snapshot drift', () => {
  it('a crash right after the insert (snapshot not updated) loses nothing: reads find the head and repair the snapshot', async () => {
    const t = await sys.createTenant('cr-crash');
    await allocate(t, 'SMS', 10);
    // What a debit writes before dying: its one ledger entry, the next link of the chain.
    const now = new Date();
    await ledger(t).insertOne({
      _id: 'sms:2',
      key: 'debit:crash-ref-1',
      channel: 'sms',
      seq: 2,
      delta: -4,
      balanceAfter: 6,
      reason: 'message',
      reference: 'crash-ref-1',
      status: 'applied',
      createdAt: now,
      updatedAt: now,
    } as Doc);
    expect(await walletDoc(t)).toMatchObject({ sms: 10, seq: { sms: 1 } });

    const read = await sys.ok(`{ wallet { sms ledger { delta reason } } }`, {}, { token: t.ownerToken });
    expect(read.wallet).toEqual({
      sms: 6,
      ledger: [
        { delta: -4, reason: 'message' },
        { delta: 10, reason: 'allocation' },
      ],
    });
    expect(await walletDoc(t)).toMatchObject({ sms: 6, seq: { sms: 2 } });
    // Its retry answers with the recorded outcome and takes nothing more.
    const retry = await debit(t.ownerToken, 'SMS', 'crash-ref-1', 4);
    expect(retry.data.debitCredits).toEqual({ channel: 'SMS', balanceAfter: 6, entryId: 'sms:2' });
    await expectInvariant(t);
  });

  it('a lagging, corrupt or lost wallet snapshot never changes a balance', async () => {
    const t = await sys.createTenant('cr-drift');
    for (let i = 0; i < 6; i++) await allocate(t, 'EMAIL', 3);
    await debit(t.ownerToken, 'EMAIL', newKey('drift'), 5);
    const tamper = async (set: Doc) => wallets(t).updateOne({ _id: 'wallet' as never }, { $set: set });

    await tamper({ 'seq.email': 2, email: 999 }); // behind the head, with a wrong balance (a lost update)
    expect((await balances(t)).email).toBe(13);
    await tamper({ 'seq.email': 5000, email: -1 }); // beyond the head
    expect((await balances(t)).email).toBe(13);
    expect((await debit(t.ownerToken, 'EMAIL', newKey('drift'), 3)).data.debitCredits.balanceAfter).toBe(10);
    await wallets(t).deleteOne({ _id: 'wallet' as never }); // gone: rebuilt from the chain
    expect((await debit(t.ownerToken, 'EMAIL', newKey('drift'), 10)).data.debitCredits).toMatchObject({ balanceAfter: 0, entryId: 'email:9' });
    expect(code(await debit(t.ownerToken, 'EMAIL', newKey('drift'), 1))).toBe('INSUFFICIENT_BALANCE');
    await expectInvariant(t);
  });

  it('concurrent allocations, debits and refunds on one channel lose no update', async () => {
    const t = await sys.createTenant('cr-mixed');
    const refs = Array.from({ length: 30 }, (_, i) => `mixed-debit-${i}`);
    const refundOpts = { token: t.ownerToken, url: sys.subgraphUrls.credits };
    await Promise.all([
      ...Array.from({ length: 10 }, () => allocate(t, 'SMS', 5)),
      ...refs.map((r) => debit(t.ownerToken, 'SMS', r, 2)),
      ...refs.slice(0, 10).map((r) => sys.gql(REFUND, { r }, refundOpts)),
    ]);
    const all = await ledger(t).find({ status: 'applied' }).toArray();
    const debited = all.filter((e) => e.reason === 'message').length;
    const refunded = all.filter((e) => e.reason === 'refund').length;
    expect(all.filter((e) => e.reason === 'allocation')).toHaveLength(10);
    expect((await balances(t)).sms).toBe(50 - 2 * debited + 2 * refunded);
    await expectInvariant(t);
  });
});

describe('credits: tenant isolation', () => {
  it("tenant B cannot see tenant A's wallet, via _entities on the subgraph or via the gateway", async () => {
    const a = await sys.createTenant('cr-iso-a');
    const b = await sys.createTenant('cr-iso-b');
    await allocate(a, 'SMS', 77);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { id wallet { sms } } } }`;
    const reps = [
      { __typename: 'Tenant', id: a.id },
      { __typename: 'Tenant', id: b.id },
      { __typename: 'Tenant', id: 'garbage' },
    ];
    const asB = await sys.gql(entities, { r: reps }, { token: b.ownerToken, url: sys.subgraphUrls.credits });
    expect(asB.errors).toBeUndefined();
    expect(asB.data._entities).toEqual([null, { id: b.id, wallet: { sms: 0 } }, null]);
    const asPlatform = await sys.ok(entities, { r: reps }, { token: sys.superToken, url: sys.subgraphUrls.credits });
    expect(asPlatform._entities).toEqual([{ id: a.id, wallet: { sms: 77 } }, { id: b.id, wallet: { sms: 0 } }, null]);
    const anon = await sys.gql(entities, { r: reps }, { url: sys.subgraphUrls.credits });
    expect(code(anon)).toBe('UNAUTHENTICATED');
    expect(anon.data?._entities ?? null).toBeNull();

    // Through the gateway the token wins over a tenant header, and `tenants` is platform-only.
    const viaGateway = await sys.ok(`{ wallet { id sms } me { tenant { id wallet { sms } } } }`, {}, { token: b.ownerToken, tenant: 'cr-iso-a' });
    expect(viaGateway).toEqual({ wallet: { id: b.id, sms: 0 }, me: { tenant: { id: b.id, wallet: { sms: 0 } } } });
    expect(code(await sys.gql(`{ tenants { wallet { sms } } }`, {}, { token: b.ownerToken }))).toBe('FORBIDDEN');
    // B debiting with its own token never touches A.
    expect(code(await debit(b.ownerToken, 'SMS', newKey('iso')))).toBe('INSUFFICIENT_BALANCE');
    expect((await balances(a)).sms).toBe(77);
    expect(await ledger(a).countDocuments()).toBe(1);
  });
});
