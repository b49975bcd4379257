import { createHmac } from 'node:crypto';
import { Types } from 'mongoose';
import { startFakeCashfree, startFakeRazorpay, type FakeGateway } from './helpers/fake-gateways';
import { startSystem, TEST_PASSWORD, type GqlResult, type System, type TestTenant } from './helpers/system';
import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';

/**
 * The credits economy: master wallet (platform stock) fed by vendor purchases, allocations
 * and package sales drawing from it, tenant rates, profit, thresholds and usage.
 * Channels are kept apart per test (the master wallet is platform-wide): SMS for vendors,
 * allocations and packages, WHATSAPP for the concurrency test, EMAIL for profit.
 */
let sys: System;
/** The platform's own gateway account: packages are bought with platform payment orders. */
const RZP = { keyId: 'rzp_ce_platform', keySecret: 'rzp-ce-secret', webhookSecret: 'rzp-ce-webhook' };
const CF = { clientId: 'cf-ce-platform', clientSecret: 'cf-ce-secret' };
let fakes: FakeGateway[] = [];
beforeAll(async () => {
  fakes = [await startFakeRazorpay(RZP.keyId, RZP.keySecret), await startFakeCashfree(CF.clientId, CF.clientSecret)];
  sys = await startSystem(
    {},
    { billing: { platformGateways: { razorpay: { baseUrl: fakes[0].url, ...RZP }, cashfree: { baseUrl: fakes[1].url, ...CF }, timeoutMs: 500 } } },
  );
});
afterAll(async () => {
  await sys?.stop();
  for (const f of fakes) await f.stop();
});

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const su = () => ({ token: sys.superToken });
const tenantLedger = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug)).collection<Doc>('credit_ledger');
const masterLedger = () => sys.db.platform().collection<Doc>('credit_master_ledger');
const istDay = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);

let seq = 0;
const newKey = (p = 'k') => `${p}-${Date.now()}-${++seq}`;

const CREATE_VENDOR = `mutation($i: CreateVendorInput!) { createVendor(input: $i) { id name channel costPaisePerCredit } }`;
const PURCHASE = `mutation($v: ID!, $n: Int!, $k: String!) { purchaseCreditsFromVendor(vendorId: $v, credits: $n, idempotencyKey: $k) { id channel credits costPaise idempotencyKey vendor { name } } }`;
const ALLOCATE = `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms whatsapp email } }`;
const MASTER = `{ masterWallet { sms whatsapp email } }`;
const BUY_PACKAGE = `mutation($p: ID!, $pay: ID!, $k: String!) { purchaseCreditPackage(packageId: $p, paymentId: $pay, idempotencyKey: $k) { sms whatsapp email } }`;
const DEBIT = `mutation($i: DebitCreditsInput!) { debitCredits(input: $i) { balanceAfter lowBalanceCrossed entryId } }`;

async function vendor(channel: string, cost: number, name = newKey('vendor')): Promise<string> {
  return (await sys.ok(CREATE_VENDOR, { i: { name, channel, costPaisePerCredit: cost } }, su())).createVendor.id;
}
const buy = (vendorId: string, credits: number, key = newKey('buy'), token = sys.superToken) =>
  sys.gql(PURCHASE, { v: vendorId, n: credits, k: key }, { token });
const master = async (): Promise<Record<string, number>> => (await sys.ok(MASTER, {}, su())).masterWallet;
const allocate = (t: TestTenant, channel: string, amount: number, idempotencyKey = newKey('alloc')) =>
  sys.gql(ALLOCATE, { i: { tenantId: t.id, channel, amount, idempotencyKey } }, su());
const balances = async (t: TestTenant) => (await sys.ok(`{ wallet { sms whatsapp email } }`, {}, { token: t.ownerToken })).wallet;
const debit = (t: TestTenant, channel: string, reference: string, amount = 1) =>
  sys.gql(DEBIT, { i: { channel, reference, amount } }, { token: t.ownerToken, url: sys.subgraphUrls.credits });

/** Each master chain is gap-free, balanceAfter is the running sum, and never negative. */
async function expectMasterChains() {
  const applied = await masterLedger().find({ status: 'applied' }).toArray();
  const reported = await master();
  for (const ch of ['sms', 'whatsapp', 'email']) {
    const chain = applied.filter((e) => e.channel === ch).sort((a, b) => a.seq - b.seq);
    expect(chain.map((e) => e.seq)).toEqual(chain.map((_, i) => i + 1));
    let sum = 0;
    for (const e of chain) {
      sum += e.delta;
      expect(e.balanceAfter).toBe(sum);
      expect(e.balanceAfter).toBeGreaterThanOrEqual(0);
      expect(e.inventoryPaise).toBeGreaterThanOrEqual(0);
    }
    expect(reported[ch]).toBe(sum);
  }
}

/** A student-fee payment of `amount` paise recorded by the owner (library + student + CASH): it must never buy credits. */
const students = new Map<string, string>();
async function feePayment(t: TestTenant, amount: number): Promise<string> {
  const opts = { token: t.ownerToken };
  if (!students.has(t.id)) {
    const lib = await sys.ok(`mutation { createLibrary(input: { name: "Main", city: "Pune", capacity: 10 }) { id } }`, {}, opts);
    const st = await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name: 'Asha', phone: '9876543210', libraryId: lib.createLibrary.id } },
      opts,
    );
    students.set(t.id, st.createStudent.id);
  }
  const pay = await sys.ok(
    `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
    { i: { studentId: students.get(t.id), amount, method: 'CASH', idempotencyKey: newKey('pay') } },
    opts,
  );
  return pay.recordPayment.id;
}

let captures = 0;
/**
 * A platform payment order for package `pkg` (createCreditPackageOrder), captured by the
 * platform's gateway for `amount` (default: the price) unless `unpaid`. Returns the order id.
 */
async function packageOrder(t: TestTenant, pkg: string, opts: { unpaid?: boolean; amount?: number } = {}): Promise<string> {
  const o = (
    await sys.ok(
      `mutation($p: ID!, $k: String!) { createCreditPackageOrder(packageId: $p, idempotencyKey: $k) { id provider providerOrderId amount } }`,
      { p: pkg, k: newKey('order') },
      { token: t.ownerToken },
    )
  ).createCreditPackageOrder;
  if (opts.unpaid) return o.id;
  const amount = opts.amount ?? o.amount;
  const base = sys.subgraphUrls.billing.replace('/graphql', '/webhooks/platform');
  let res: Response;
  if (o.provider === 'RAZORPAY') {
    const raw = JSON.stringify({
      event: 'payment.captured',
      payload: { payment: { entity: { id: `pay_ce${++captures}`, order_id: o.providerOrderId, amount, method: 'upi' } } },
    });
    res = await fetch(`${base}/razorpay`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'x-razorpay-signature': createHmac('sha256', RZP.webhookSecret).update(raw).digest('hex') },
    });
  } else {
    const raw = JSON.stringify({
      data: {
        order: { order_id: o.providerOrderId },
        payment: { cf_payment_id: 50_000 + ++captures, payment_status: 'SUCCESS', payment_amount: amount / 100 },
      },
    });
    const ts = String(Date.now());
    res = await fetch(`${base}/cashfree`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-webhook-timestamp': ts,
        'x-webhook-signature': createHmac('sha256', CF.clientSecret)
          .update(ts + raw)
          .digest('base64'),
      },
    });
  }
  expect(res.status).toBe(200);
  return o.id;
}

describe('master wallet and vendors', () => {
  it('platform buys from a vendor into the master wallet, once per key; history keeps the cost paid', async () => {
    const before = await master();
    const v = await vendor('SMS', 12, 'Acme SMS');
    const key = newKey('stock');
    const first = await buy(v, 1000, key);
    expect(first.data.purchaseCreditsFromVendor).toMatchObject({
      channel: 'SMS',
      credits: 1000,
      costPaise: 12000,
      idempotencyKey: key,
      vendor: { name: 'Acme SMS' },
    });
    const again = await Promise.all(Array.from({ length: 5 }, () => buy(v, 1000, key)));
    expect(again.map((r) => r.data?.purchaseCreditsFromVendor.id)).toEqual(Array(5).fill(first.data.purchaseCreditsFromVendor.id));
    expect(code(await buy(v, 999, key))).toBe('CONFLICT');
    expect((await master()).sms).toBe(before.sms + 1000);

    // A new price applies to new purchases only.
    await sys.ok(`mutation($id: ID!) { updateVendor(id: $id, input: { costPaisePerCredit: 20 }) { costPaisePerCredit } }`, { id: v }, su());
    expect((await buy(v, 10)).data.purchaseCreditsFromVendor.costPaise).toBe(200);
    const history = await sys.ok(`{ vendorPurchases(first: 100) { id costPaise } vendors { id costPaisePerCredit } }`, {}, su());
    expect(history.vendorPurchases.find((p: Doc) => p.id === first.data.purchaseCreditsFromVendor.id).costPaise).toBe(12000);
    expect(history.vendors.find((x: Doc) => x.id === v).costPaisePerCredit).toBe(20);
    expect(code(await sys.gql(CREATE_VENDOR, { i: { name: 'Acme SMS', channel: 'SMS', costPaisePerCredit: 1 } }, su()))).toBe('CONFLICT');
    await expectMasterChains();
  });

  it('tenant users cannot touch the master wallet or vendors; support reads but cannot buy', async () => {
    const t = await sys.createTenant('ce-perm');
    const v = await vendor('SMS', 5);
    const count = await masterLedger().countDocuments();
    const manager = await sys.userToken(t, 'manager');
    for (const token of [t.ownerToken, manager]) {
      expect(code(await sys.gql(MASTER, {}, { token }))).toBe('FORBIDDEN');
      expect(code(await sys.gql(`{ vendors { id } }`, {}, { token }))).toBe('FORBIDDEN');
      expect(code(await buy(v, 100, newKey(), token))).toBe('FORBIDDEN');
      expect(code(await sys.gql(CREATE_VENDOR, { i: { name: 'x', channel: 'SMS', costPaisePerCredit: 1 } }, { token }))).toBe('FORBIDDEN');
    }
    await upsertPlatformUser(sys.db, { email: 'support@studyspot.test', name: 'Support', password: TEST_PASSWORD, role: 'support' });
    const support = (await sys.login('support@studyspot.test', TEST_PASSWORD)).accessToken;
    expect((await sys.ok(`{ masterWallet { sms } vendors { id } vendorPurchases { id } }`, {}, { token: support })).masterWallet).toBeDefined();
    expect(code(await buy(v, 100, newKey(), support))).toBe('FORBIDDEN');
    expect(code(await sys.gql(CREATE_VENDOR, { i: { name: 'y', channel: 'SMS', costPaisePerCredit: 1 } }, { token: support }))).toBe('FORBIDDEN');
    expect(await masterLedger().countDocuments()).toBe(count);
  });

  it('bad vendor and purchase input is BAD_USER_INPUT / NOT_FOUND and writes nothing', async () => {
    const v = await vendor('SMS', 5);
    const vendors = await sys.db.platform().collection('credit_vendors').countDocuments();
    const entries = await masterLedger().countDocuments();
    for (const i of [
      { name: '', channel: 'SMS', costPaisePerCredit: 1 },
      { name: 'n'.repeat(101), channel: 'SMS', costPaisePerCredit: 1 },
      { name: 'ok', channel: 'SMS', costPaisePerCredit: 0 },
      { name: 'ok', channel: 'FAX', costPaisePerCredit: 1 },
      { name: 'ok', channel: 'SMS', costPaisePerCredit: 1.5 },
    ]) {
      expect({ i, c: code(await sys.gql(CREATE_VENDOR, { i }, su())) }).toEqual({ i, c: 'BAD_USER_INPUT' });
    }
    for (const [vid, n, k] of [
      [v, 0, newKey()],
      [v, -5, newKey()],
      [v, 10, 'short'],
      [v, 10, 'has space key'],
      ['nope', 10, newKey()],
    ] as const) {
      expect(code(await sys.gql(PURCHASE, { v: vid, n, k }, su()))).toBe('BAD_USER_INPUT');
    }
    expect(code(await buy(new Types.ObjectId().toHexString(), 10))).toBe('NOT_FOUND');
    expect(code(await sys.gql(`mutation($id: ID!) { updateVendor(id: $id, input: { costPaisePerCredit: 0 }) { id } }`, { id: v }, su()))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await sys.db.platform().collection('credit_vendors').countDocuments()).toBe(vendors);
    expect(await masterLedger().countDocuments()).toBe(entries);
  });
});

describe('allocations draw from the master wallet', () => {
  it('moves credits from master to tenant; short stock is INSUFFICIENT_BALANCE with nothing written, and the key works after restocking', async () => {
    const t = await sys.createTenant('ce-alloc');
    const v = await vendor('SMS', 10);
    await buy(v, 100);
    const m0 = await master();
    expect((await allocate(t, 'SMS', 30)).data.allocateCredits.sms).toBe(30);
    expect((await master()).sms).toBe(m0.sms - 30);

    const key = newKey('big');
    const masterCount = await masterLedger().countDocuments();
    const tooMuch = await allocate(t, 'SMS', m0.sms, key);
    expect(code(tooMuch)).toBe('INSUFFICIENT_BALANCE');
    expect(await masterLedger().countDocuments()).toBe(masterCount);
    expect(await tenantLedger(t).countDocuments()).toBe(1);
    await buy(v, 30);
    expect((await allocate(t, 'SMS', m0.sms, key)).data.allocateCredits.sms).toBe(30 + m0.sms);
    expect((await master()).sms).toBe(0);
    await expectMasterChains();
  });

  it('a crash between the two halves: the retry with the same key completes the tenant credit without a second master debit', async () => {
    const t = await sys.createTenant('ce-crash');
    await buy(await vendor('SMS', 10), 50);
    const key = newKey('crash');
    await allocate(t, 'SMS', 20, key);
    // Undo the tenant half only (as if the process died after the master debit).
    await tenantLedger(t).deleteOne({ key: `allocation:${key}` });
    expect((await balances(t)).sms).toBe(0);
    const m1 = await master();
    const retries = await Promise.all(Array.from({ length: 4 }, () => allocate(t, 'SMS', 20, key)));
    expect(retries.map((r) => r.errors)).toEqual(Array(4).fill(undefined));
    expect((await balances(t)).sms).toBe(20);
    expect((await master()).sms).toBe(m1.sms);
    expect(await masterLedger().countDocuments({ key: `alloc:${key}` })).toBe(1);
  });

  it('a tenant key already used by another movement: CONFLICT, and the master debit is reversed exactly once', async () => {
    const t = await sys.createTenant('ce-rev');
    await buy(await vendor('SMS', 10), 50);
    const key = newKey('legacy');
    const now = new Date();
    // A pre-master allocation under the same key for another amount.
    await tenantLedger(t).insertOne({
      _id: 'sms:1',
      key: `allocation:${key}`,
      channel: 'sms',
      seq: 1,
      delta: 7,
      balanceAfter: 7,
      reason: 'allocation',
      reference: key,
      status: 'applied',
      createdAt: now,
      updatedAt: now,
    } as Doc);
    const m0 = await master();
    const results = await Promise.all(Array.from({ length: 3 }, () => allocate(t, 'SMS', 20, key)));
    expect(results.map(code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    expect((await master()).sms).toBe(m0.sms);
    expect(await masterLedger().countDocuments({ key: `reversal:alloc:${key}` })).toBe(1);
    expect((await balances(t)).sms).toBe(7);
    await expectMasterChains();
  });

  it('20 concurrent allocations against a master holding less than their total: never negative, both ledgers agree', async () => {
    const tenants = await Promise.all([0, 1, 2, 3].map((i) => sys.createTenant(`ce-race-${i}`)));
    expect((await master()).whatsapp).toBe(0);
    await buy(await vendor('WHATSAPP', 30), 52);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => allocate(tenants[i % 4], 'WHATSAPP', 5)));
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(10);
    expect(new Set(results.filter((r) => r.errors).map(code))).toEqual(new Set(['INSUFFICIENT_BALANCE']));
    const given = (await Promise.all(tenants.map(balances))).reduce((s, b) => s + b.whatsapp, 0);
    expect(given).toBe(50);
    expect((await master()).whatsapp).toBe(2);
    const tenantEntries = (await Promise.all(tenants.map((t) => tenantLedger(t).find({ channel: 'whatsapp', status: 'applied' }).toArray()))).flat();
    const masterSales = await masterLedger().find({ channel: 'whatsapp', reason: 'allocation', status: 'applied' }).toArray();
    expect(tenantEntries.reduce((s, e) => s + e.delta, 0)).toBe(-masterSales.reduce((s, e) => s + e.delta, 0));
    // Weighted cost: 52 credits for 1560 paise, 50 sold: 1500 paise of cost, 60 left.
    expect(masterSales.reduce((s, e) => s + e.costPaise, 0)).toBe(1500);
    await expectMasterChains();
  });
});

describe('packages and tenant rates', () => {
  it('an owner buys a package with a paid platform order: once per order, drawn from the master wallet', async () => {
    const t = await sys.createTenant('ce-pkg');
    await buy(await vendor('SMS', 10), 500);
    const pkg = (await sys.ok(`mutation { createCreditPackage(input: { channel: SMS, credits: 100, pricePaise: 25000 }) { id } }`, {}, su()))
      .createCreditPackage.id;
    const other = (await sys.ok(`mutation { createCreditPackage(input: { channel: SMS, credits: 200, pricePaise: 30000 }) { id } }`, {}, su()))
      .createCreditPackage.id;
    const hidden = (await sys.ok(`mutation { createCreditPackage(input: { channel: SMS, credits: 5, pricePaise: 100 }) { id } }`, {}, su())).createCreditPackage
      .id;
    await sys.ok(`mutation($id: ID!) { updateCreditPackage(id: $id, input: { active: false }) { active } }`, { id: hidden }, su());
    const listed = (await sys.ok(`{ creditPackages(channel: SMS) { id credits pricePaise } }`, {}, { token: t.ownerToken })).creditPackages;
    expect(listed.map((p: Doc) => p.id)).toEqual(expect.arrayContaining([pkg, other]));
    expect(listed.map((p: Doc) => p.id)).not.toContain(hidden);

    const m0 = await master();
    // Paid on the platform's account: billing delivers the package by itself; claims with the order add nothing more.
    const payment = await packageOrder(t, pkg);
    expect((await balances(t)).sms).toBe(100);
    const burst = await Promise.all(Array.from({ length: 5 }, () => sys.gql(BUY_PACKAGE, { p: pkg, pay: payment, k: newKey('pk') }, { token: t.ownerToken })));
    expect(burst.map((r) => r.errors)).toEqual(Array(5).fill(undefined));
    expect((await balances(t)).sms).toBe(100);
    expect((await master()).sms).toBe(m0.sms - 100);
    // The same order for another package: refused before anything moves; an inactive package cannot be ordered.
    expect(code(await sys.gql(BUY_PACKAGE, { p: other, pay: payment, k: newKey('pk') }, { token: t.ownerToken }))).toBe('CONFLICT');
    expect(
      code(
        await sys.gql(
          `mutation($p: ID!) { createCreditPackageOrder(packageId: $p, idempotencyKey: "hidden-order-1") { id } }`,
          { p: hidden },
          { token: t.ownerToken },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect((await balances(t)).sms).toBe(100);
    expect((await master()).sms).toBe(m0.sms - 100);
    await expectMasterChains();
  });

  it('refuses student-fee payments (the CASH exploit), unpaid, underpaid, unknown, foreign and malformed orders, and non-owners; nothing moves', async () => {
    const a = await sys.createTenant('ce-pay-a', { plan: 'starter' });
    const b = await sys.createTenant('ce-pay-b');
    await buy(await vendor('SMS', 10), 500);
    const pkg = (await sys.ok(`mutation { createCreditPackage(input: { channel: SMS, credits: 50, pricePaise: 10000 }) { id } }`, {}, su())).createCreditPackage
      .id;
    // #13: an owner records a CASH payment against a student and offers it to buy credits the old way.
    const cash = await feePayment(a, 1_000_000);
    const unpaid = await packageOrder(a, pkg, { unpaid: true });
    const underpaid = await packageOrder(a, pkg, { amount: 9999 });
    const m0 = await master();
    const foreign = await packageOrder(b, pkg);
    expect((await master()).sms).toBe(m0.sms - 50);
    const tryBuy = (pay: string, token = a.ownerToken, p = pkg) => sys.gql(BUY_PACKAGE, { p, pay, k: newKey('pk') }, { token });
    expect(code(await tryBuy(cash))).toBe('NOT_FOUND');
    expect(code(await tryBuy(unpaid))).toBe('BAD_USER_INPUT');
    expect(code(await tryBuy(underpaid))).toBe('BAD_USER_INPUT');
    expect(code(await tryBuy(foreign))).toBe('NOT_FOUND');
    expect(code(await tryBuy(new Types.ObjectId().toHexString()))).toBe('NOT_FOUND');
    expect(code(await tryBuy('not-an-id'))).toBe('BAD_USER_INPUT');
    expect(code(await tryBuy(unpaid, a.ownerToken, 'zzz'))).toBe('BAD_USER_INPUT');
    expect(code(await tryBuy(unpaid, await sys.userToken(a, 'manager')))).toBe('FORBIDDEN');
    expect(
      code(await sys.gql(`mutation { createCreditPackage(input: { channel: SMS, credits: 1, pricePaise: 1 }) { id } }`, {}, { token: a.ownerToken })),
    ).toBe('FORBIDDEN');
    expect(code(await sys.gql(`mutation { createCreditPackage(input: { channel: SMS, credits: 0, pricePaise: 1 }) { id } }`, {}, su()))).toBe('BAD_USER_INPUT');
    expect(await tenantLedger(a).countDocuments()).toBe(0);
    expect((await master()).sms).toBe(m0.sms - 50);
    // B's own paid order credited B only; B claiming it again adds nothing.
    expect((await tryBuy(foreign, b.ownerToken)).data.purchaseCreditPackage.sms).toBe(50);
    expect((await balances(a)).sms).toBe(0);
    await expectMasterChains();
  });

  it("setTenantRate changes one tenant's price (platform only); allocations earn at that rate", async () => {
    const t = await sys.createTenant('ce-rate');
    const u = await sys.createTenant('ce-rate-other');
    const set = `mutation($t: ID!, $r: Int!) { setTenantRate(tenantId: $t, channel: SMS, ratePaise: $r) { sms whatsapp } }`;
    expect((await sys.ok(set, { t: t.id, r: 40 }, su())).setTenantRate).toEqual({ sms: 40, whatsapp: 60 });
    expect(code(await sys.gql(set, { t: t.id, r: 1 }, { token: t.ownerToken }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(set, { t: t.id, r: 0 }, su()))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(set, { t: new Types.ObjectId().toHexString(), r: 5 }, su()))).toBe('NOT_FOUND');
    const rates = await sys.ok(`{ tenants { id wallet { rates { sms } } } }`, {}, su());
    const byId = new Map(rates.tenants.map((x: Doc) => [x.id, x.wallet.rates.sms]));
    expect([byId.get(t.id), byId.get(u.id)]).toEqual([40, 25]);
    await buy(await vendor('SMS', 10), 10);
    const key = newKey('rated');
    await allocate(t, 'SMS', 10, key);
    expect((await masterLedger().findOne({ key: `alloc:${key}` }))?.revenuePaise).toBe(400);
  });
});

describe('profit analytics', () => {
  it('per month and channel: credits sold, revenue, weighted average cost and margin (platform only)', async () => {
    const t = await sys.createTenant('ce-profit');
    await buy(await vendor('EMAIL', 2), 100); // 200 paise
    await buy(await vendor('EMAIL', 4), 100); // 400 paise: 200 credits worth 600, 3 paise each
    await sys.ok(`mutation($t: ID!) { setTenantRate(tenantId: $t, channel: EMAIL, ratePaise: 10) { email } }`, { t: t.id }, su());
    await allocate(t, 'EMAIL', 50); // revenue 500, cost 150
    const pkg = (await sys.ok(`mutation { createCreditPackage(input: { channel: EMAIL, credits: 100, pricePaise: 700 }) { id } }`, {}, su()))
      .createCreditPackage.id;
    await packageOrder(t, pkg); // revenue 700, cost 300
    const month = istDay().slice(0, 7);
    const q = `query($f: String!, $t: String!, $c: Channel) { creditProfit(fromMonth: $f, toMonth: $t, channel: $c) { month channel creditsSold revenuePaise costPaise marginPaise } }`;
    const rows = (await sys.ok(q, { f: month, t: month, c: 'EMAIL' }, su())).creditProfit;
    expect(rows).toEqual([{ month, channel: 'EMAIL', creditsSold: 150, revenuePaise: 1200, costPaise: 450, marginPaise: 750 }]);
    const all = (await sys.ok(q, { f: `${month.slice(0, 4)}-01`, t: month }, su())).creditProfit;
    expect(all.map((r: Doc) => r.channel)).toEqual(expect.arrayContaining(['EMAIL', 'SMS']));
    expect(code(await sys.gql(q, { f: month, t: month }, { token: t.ownerToken }))).toBe('FORBIDDEN');
    for (const [f, to] of [
      ['2026-13', month],
      ['2026', month],
      [month, '2020-01'],
      ['2000-01', month],
    ]) {
      expect(code(await sys.gql(q, { f, t: to }, su()))).toBe('BAD_USER_INPUT');
    }
  });
});

describe('low-balance thresholds', () => {
  it('owner sets a threshold per channel; exactly one debit per crossing reports lowBalanceCrossed, also on retry', async () => {
    const t = await sys.createTenant('ce-low');
    await buy(await vendor('SMS', 1), 100);
    await allocate(t, 'SMS', 8);
    const set = `mutation($c: Channel!, $n: Int!) { setLowBalanceThreshold(channel: $c, credits: $n) { thresholds { sms whatsapp email } } }`;
    expect((await sys.ok(`{ wallet { thresholds { sms whatsapp email } } }`, {}, { token: t.ownerToken })).wallet.thresholds).toEqual({
      sms: 10,
      whatsapp: 10,
      email: 10,
    });
    expect((await sys.ok(set, { c: 'SMS', n: 5 }, { token: t.ownerToken })).setLowBalanceThreshold.thresholds).toEqual({ sms: 5, whatsapp: 10, email: 10 });
    expect(code(await sys.gql(set, { c: 'SMS', n: 50 }, { token: await sys.userToken(t, 'manager') }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(set, { c: 'SMS', n: -1 }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(set, { c: 'FAX', n: 1 }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');

    const crossed: boolean[] = [];
    const refs = Array.from({ length: 5 }, (_, i) => `low-${t.id}-${i}`);
    for (const r of refs) crossed.push((await debit(t, 'SMS', r)).data.debitCredits.lowBalanceCrossed);
    expect(crossed).toEqual([false, false, false, true, false]); // 8→7, 7→6, 6→5, 5→4 (below 5), 4→3
    expect((await debit(t, 'SMS', refs[3])).data.debitCredits.lowBalanceCrossed).toBe(true);

    // Back above, then 30 concurrent debits through the threshold: exactly one crossing.
    await allocate(t, 'SMS', 30);
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => debit(t, 'SMS', `burst-${t.id}-${i}`)));
    expect(burst.map((r) => r.errors)).toEqual(Array(30).fill(undefined));
    expect(burst.filter((r) => r.data.debitCredits.lowBalanceCrossed)).toHaveLength(1);
  });
});

describe('usage report', () => {
  it("per day and channel for the caller's tenant only; bad ranges are BAD_USER_INPUT", async () => {
    const a = await sys.createTenant('ce-use-a');
    const b = await sys.createTenant('ce-use-b');
    await buy(await vendor('SMS', 1), 100);
    await allocate(a, 'SMS', 20);
    for (let i = 0; i < 3; i++) await debit(a, 'SMS', `use-${a.id}-${i}`, 2);
    await sys.gql(`mutation($r: String!) { refundCredits(reference: $r) }`, { r: `use-${a.id}-0` }, { token: a.ownerToken, url: sys.subgraphUrls.credits });
    const day = istDay();
    const q = `query($f: String!, $t: String!, $c: Channel) { creditUsage(fromDay: $f, toDay: $t, channel: $c) { day channel debits creditsUsed creditsRefunded } }`;
    expect((await sys.ok(q, { f: day, t: day }, { token: a.ownerToken })).creditUsage).toEqual([
      { day, channel: 'SMS', debits: 3, creditsUsed: 6, creditsRefunded: 2 },
    ]);
    expect((await sys.ok(q, { f: day, t: day, c: 'EMAIL' }, { token: a.ownerToken })).creditUsage).toEqual([]);
    expect((await sys.ok(q, { f: day, t: day }, { token: b.ownerToken })).creditUsage).toEqual([]);
    expect((await sys.ok(q, { f: day, t: day }, { token: await sys.userToken(a, 'manager') })).creditUsage).toHaveLength(1);
    expect(code(await sys.gql(q, { f: day, t: day }, { token: await sys.userToken(a, 'staff') }))).toBe('FORBIDDEN');
    for (const [f, t] of [
      ['2026-02-30x', day],
      ['yesterday', day],
      [day, '2000-01-01'],
      ['2020-01-01', '2026-01-01'],
    ]) {
      expect(code(await sys.gql(q, { f, t }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
    }
    // Ledger entries carry the day they were written (Asia/Kolkata).
    expect(await tenantLedger(a).countDocuments({ day })).toBe(5);
  });
});
