import { Types } from 'mongoose';
import { amountInWords, formatRupees, indianWords, splitGst } from '../subgraphs/billing/invoicing/gst.service';
import { prorate } from '../subgraphs/billing/saas/plan-catalog.service';
import { csvField } from '../subgraphs/billing/fees/revenue-export.service';
import { createHmac } from 'node:crypto';
import { startFakeCashfree, startFakeRazorpay, type FakeGateway } from './helpers/fake-gateways';
import { startSystem, type System, type TestTenant } from './helpers/system';

let sys: System;
/** The billing service's clock for subscriptions (payments keep real time). */
let clock = new Date('2030-01-01T00:00:00Z');
/** The platform's own gateway account: paid plans start when their SaaS invoice is paid. */
const PLATFORM_RZP = { keyId: 'rzp_platform', keySecret: 'rzp-platform-secret', webhookSecret: 'rzp-platform-webhook' };
const PLATFORM_CF = { clientId: 'cf-platform', clientSecret: 'cf-platform-secret' };
let fakes: FakeGateway[] = [];
beforeAll(async () => {
  fakes = [await startFakeRazorpay(PLATFORM_RZP.keyId, PLATFORM_RZP.keySecret), await startFakeCashfree(PLATFORM_CF.clientId, PLATFORM_CF.clientSecret)];
  sys = await startSystem(
    {},
    {
      billing: {
        now: () => clock,
        platformGateways: {
          razorpay: { baseUrl: fakes[0].url, ...PLATFORM_RZP },
          cashfree: { baseUrl: fakes[1].url, ...PLATFORM_CF },
          timeoutMs: 500,
        },
      },
    },
  );
});
afterAll(async () => {
  await sys?.stop();
  for (const f of fakes) await f.stop();
});

let captureN = 0;
/** The platform's gateway reports the invoice's order captured (signed webhook). */
async function payInvoice(change: { invoice: { paymentOrder: { provider: string; providerOrderId: string; amount: number } } }) {
  const o = change.invoice.paymentOrder;
  const base = sys.subgraphUrls.billing.replace('/graphql', '/webhooks/platform');
  let res: Response;
  if (o.provider === 'RAZORPAY') {
    const raw = JSON.stringify({
      event: 'payment.captured',
      payload: { payment: { entity: { id: `pay_bip${++captureN}`, order_id: o.providerOrderId, amount: o.amount, method: 'upi' } } },
    });
    res = await fetch(`${base}/razorpay`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'x-razorpay-signature': createHmac('sha256', PLATFORM_RZP.webhookSecret).update(raw).digest('hex') },
    });
  } else {
    const raw = JSON.stringify({
      data: {
        order: { order_id: o.providerOrderId },
        payment: { cf_payment_id: 990_000 + ++captureN, payment_status: 'SUCCESS', payment_amount: o.amount / 100 },
      },
    });
    const ts = String(Date.now());
    res = await fetch(`${base}/cashfree`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-webhook-timestamp': ts,
        'x-webhook-signature': createHmac('sha256', PLATFORM_CF.clientSecret)
          .update(ts + raw)
          .digest('base64'),
      },
    });
  }
  expect(res.status).toBe(200);
}

const DAY = 24 * 3600 * 1000;
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const billingBase = () => sys.subgraphUrls.billing.replace(/\/graphql$/, '');
const get = (path: string, token?: string) => fetch(`${billingBase()}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function createLibrary(t: TestTenant, name: string): Promise<string> {
  const data = await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 30 } }, { token: t.ownerToken });
  return data.createLibrary.id;
}
async function createStudent(t: TestTenant, libraryId: string, name = 'Asha'): Promise<string> {
  const data = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name, phone: '9876543210', libraryId } },
    { token: t.ownerToken },
  );
  return data.createStudent.id;
}
async function setup(slug: string) {
  const t = await sys.createTenant(slug, { plan: 'starter' });
  const libraryId = await createLibrary(t, `${slug} Central`);
  const studentId = await createStudent(t, libraryId);
  return { t, libraryId, studentId };
}

const INVOICE = `number amount taxableValue gstRatePercent cgst sgst igst totalTax interState placeOfSupply hsnSac sellerGstin sellerLegalName amountInWords downloadPath`;
const RECORD = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id invoice { ${INVOICE} } } }`;
const SETTINGS = `mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { legalName gstin stateCode hsnSac gstRatePercent } }`;
const settings = { legalName: 'Asha <Study> & Co', gstin: '29ABCDE1234F1Z5', address: '12 MG Road, Bengaluru', stateCode: '29' };

describe('GST arithmetic and amount in words (unit)', () => {
  it('writes amounts the Indian way (lakh, crore) with paise', () => {
    expect(amountInWords(12_000_050)).toBe('Rupees One Lakh Twenty Thousand and Fifty Paise Only');
    expect(amountInWords(118_000)).toBe('Rupees One Thousand One Hundred Eighty Only');
    expect(amountInWords(1)).toBe('One Paise Only');
    expect(amountInWords(0)).toBe('Rupees Zero Only');
    expect(indianWords(123_456_789)).toBe('Twelve Crore Thirty Four Lakh Fifty Six Thousand Seven Hundred Eighty Nine');
    expect(indianWords(1_000_000_000)).toBe('One Hundred Crore');
    expect(indianWords(100_001)).toBe('One Lakh One');
    expect(formatRupees(12_000_050)).toBe('1,20,000.50');
    expect(formatRupees(5)).toBe('0.05');
    expect(() => amountInWords(-1)).toThrow();
  });

  it('splits tax-inclusive totals exactly: parts always sum to the total', () => {
    expect(splitGst(118_000, 18, false)).toEqual({ taxableValue: 100_000, totalTax: 18_000, cgst: 9000, sgst: 9000, igst: 0 });
    expect(splitGst(118_000, 18, true)).toEqual({ taxableValue: 100_000, totalTax: 18_000, cgst: 0, sgst: 0, igst: 18_000 });
    // 101 × 100 / 118 = 85.59 → 86; tax 15 → CGST 7, SGST 8.
    expect(splitGst(101, 18, false)).toEqual({ taxableValue: 86, totalTax: 15, cgst: 7, sgst: 8, igst: 0 });
    // Exactly half a paisa rounds up: 59 × 100 / 118 = 50.
    expect(splitGst(59, 18, false).taxableValue).toBe(50);
    for (let total = 0; total < 3000; total += 7) {
      for (const rate of [0, 5, 12, 18, 28]) {
        const s = splitGst(total, rate, total % 2 === 0);
        expect(s.taxableValue + s.cgst + s.sgst + s.igst).toBe(total);
        expect(s.taxableValue).toBe(Math.round((total * 100) / (100 + rate)));
      }
    }
  });

  it('prorates upgrades in whole days and escapes CSV fields', () => {
    const p = prorate({
      periodStart: new Date('2030-01-01Z'),
      periodEnd: new Date('2030-02-01Z'),
      periodPrice: 99_900,
      now: new Date('2030-01-11T12:00:00Z'),
      newPrice: 249_900,
    });
    expect(p).toEqual({ periodDays: 31, unusedDays: 20, credit: 64_451, amountDue: 185_449 });
    expect(csvField('Lib, "North"')).toBe('"Lib, ""North"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(42)).toBe('42');
  });
});

describe('GST invoices through the gateway', () => {
  it('stores seller settings (owner) and issues CGST/SGST or IGST invoices with the amount in words', async () => {
    const { t, studentId } = await setup('gst-happy');
    const set = await sys.ok(SETTINGS, { i: settings }, { token: t.ownerToken });
    expect(set.updateBillingSettings).toEqual({ legalName: settings.legalName, gstin: settings.gstin, stateCode: '29', hsnSac: '999293', gstRatePercent: 18 });

    const intra = (await sys.ok(RECORD, { i: { studentId, amount: 12_000_050, method: 'UPI' } }, { token: t.ownerToken })).recordPayment;
    expect(intra.invoice).toMatchObject({
      amount: 12_000_050,
      taxableValue: 10_169_534,
      gstRatePercent: 18,
      cgst: 915_258,
      sgst: 915_258,
      igst: 0,
      totalTax: 1_830_516,
      interState: false,
      placeOfSupply: '29',
      hsnSac: '999293',
      sellerGstin: settings.gstin,
      amountInWords: 'Rupees One Lakh Twenty Thousand and Fifty Paise Only',
      downloadPath: `/invoices/${intra.id}.html`,
    });
    const inter = (await sys.ok(RECORD, { i: { studentId, amount: 118_000, method: 'CASH', placeOfSupply: '27' } }, { token: t.ownerToken })).recordPayment;
    expect(inter.invoice).toMatchObject({ taxableValue: 100_000, cgst: 0, sgst: 0, igst: 18_000, interState: true, placeOfSupply: '27' });

    // Frozen at issue: later settings don't rewrite issued invoices.
    await sys.ok(SETTINGS, { i: { ...settings, gstin: null, gstRatePercent: 5 } }, { token: t.ownerToken });
    const again = await sys.ok(`query($id: ID!) { payment(id: $id) { invoice { gstRatePercent sellerGstin } } }`, { id: inter.id }, { token: t.ownerToken });
    expect(again.payment.invoice).toEqual({ gstRatePercent: 18, sellerGstin: settings.gstin });
    const read = await sys.ok(`{ billingSettings { gstin gstRatePercent } }`, {}, { token: t.ownerToken });
    expect(read.billingSettings).toEqual({ gstin: null, gstRatePercent: 5 });
  });

  it('serves the printable HTML invoice for the Bearer token only, escaped, within the tenant', async () => {
    const { t, studentId } = await setup('gst-html');
    const b = await setup('gst-html-b');
    await sys.ok(SETTINGS, { i: settings }, { token: t.ownerToken });
    const p = (await sys.ok(RECORD, { i: { studentId, amount: 118_000, method: 'UPI', reference: '<img src=x>' } }, { token: t.ownerToken })).recordPayment;

    const res = await get(p.invoice.downloadPath, t.ownerToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain(p.invoice.number);
    expect(html).toContain('Asha &lt;Study&gt; &amp; Co');
    expect(html).not.toContain('<Study>');
    expect(html).toContain('&lt;img src=x&gt;');
    expect(html).toContain('Rupees One Thousand One Hundred Eighty Only');
    expect(html).toContain('CGST @ 9%');
    expect(html).toContain('₹1,000.00');
    expect(html).toContain('Asha'); // student name from the student subgraph

    const manager = await sys.userToken(t, 'manager');
    expect((await get(p.invoice.downloadPath, manager)).status).toBe(200);
    expect((await get(p.invoice.downloadPath)).status).toBe(401);
    expect((await get(p.invoice.downloadPath, 'not-a-token')).status).toBe(401);
    expect((await get(p.invoice.downloadPath, await sys.userToken(t, 'staff'))).status).toBe(403);
    const other = await get(p.invoice.downloadPath, b.t.ownerToken);
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain(p.invoice.number);
    expect((await get(`/invoices/${new Types.ObjectId().toHexString()}.html`, t.ownerToken)).status).toBe(404);
    expect((await get(`/invoices/nope.html`, t.ownerToken)).status).toBe(404);
  });

  it('refuses settings to managers and bad settings, writing nothing', async () => {
    const { t, studentId } = await setup('gst-bad');
    const manager = await sys.userToken(t, 'manager');
    const denied = await sys.gql(SETTINGS, { i: settings }, { token: manager });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const bad = [
      { ...settings, gstin: '29ABCDE1234F1Z' },
      { ...settings, gstin: '27ABCDE1234F1Z5' }, // not the state's GSTIN
      { ...settings, stateCode: '99', gstin: null },
      { ...settings, gstRatePercent: 17 },
      { ...settings, legalName: 'x'.repeat(201) },
      { ...settings, hsnSac: '99a' },
    ];
    for (const i of bad) {
      const res = await sys.gql(SETTINGS, { i }, { token: t.ownerToken });
      expect({ i, code: res.errors?.[0].extensions?.code }).toEqual({ i, code: 'BAD_USER_INPUT' });
    }
    const badPlace = await sys.gql(RECORD, { i: { studentId, amount: 100, method: 'CASH', placeOfSupply: 'KA' } }, { token: t.ownerToken });
    expect(badPlace.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await tenantDb(t).collection('billing_settings').countDocuments()).toBe(0);
    expect(await tenantDb(t).collection('payments').countDocuments()).toBe(0);
  });
});

const SUB = `subscription { plan cycle status periodStart periodEnd cancelAtPeriodEnd pendingDowngrade { plan cycle effectiveAt } limits { maxLibraries maxStudents maxStaff } }`;
const CHANGE = `${SUB} amountDue credit awaitingPayment invoice { kind amount paymentOrder { provider providerOrderId amount } }`;
const subscribe = (token: string, v: Record<string, unknown>) =>
  sys.gql(
    `mutation($plan: SaasPlan!, $cycle: BillingCycle!, $k: String!, $trial: Boolean) { subscribe(plan: $plan, cycle: $cycle, idempotencyKey: $k, trial: $trial) { ${CHANGE} } }`,
    v,
    { token },
  );
const changePlan = (token: string, v: Record<string, unknown>) =>
  sys.gql(`mutation($plan: SaasPlan!, $cycle: BillingCycle!, $k: String!) { changePlan(plan: $plan, cycle: $cycle, idempotencyKey: $k) { ${CHANGE} } }`, v, {
    token,
  });
const current = async (token: string) => (await sys.ok(`{ ${SUB} }`, {}, { token })).subscription;
const changesOf = (t: TestTenant) => tenantDb(t).collection('saas_subscription_changes').countDocuments();

/** The registry is updated by the tenant subgraph from `plan.changed`, asynchronously. */
async function registryPlan(t: TestTenant, expected: string) {
  for (let i = 0; i < 50; i++) {
    const data = await sys.ok(`{ tenant { plan limits { maxLibraries maxStudents maxStaff } } }`, {}, { token: t.ownerToken });
    if (data.tenant.plan === expected) return data.tenant;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`registry plan never became ${expected}`);
}

describe('SaaS plans and subscriptions', () => {
  it('lists plans with prices and limits', async () => {
    const t = await sys.createTenant('plans-list');
    const data = await sys.ok(`{ plans { name limits { maxStudents } prices { cycle amount } } }`, {}, { token: t.ownerToken });
    expect(data.plans.map((p: { name: string }) => p.name)).toEqual(['FREE', 'STARTER', 'PROFESSIONAL', 'ENTERPRISE']);
    expect(data.plans[1].prices).toContainEqual({ cycle: 'MONTHLY', amount: 99_900 });
    expect(data.plans[3].limits.maxStudents).toBe(100_000);
  });

  it('runs a 14-day trial that expires at query time and resets the registry to free', async () => {
    clock = new Date('2030-01-01T00:00:00Z');
    const t = await sys.createTenant('sub-trial');
    expect(await current(t.ownerToken)).toBeNull();
    const res = await subscribe(t.ownerToken, { plan: 'PROFESSIONAL', cycle: 'MONTHLY', k: 'trial-key-1', trial: true });
    expect(res.errors).toBeUndefined();
    expect(res.data.subscribe).toMatchObject({
      amountDue: 0,
      credit: 0,
      subscription: { status: 'TRIAL', plan: 'PROFESSIONAL', periodEnd: '2030-01-15T00:00:00.000Z' },
    });
    expect(await registryPlan(t, 'professional')).toMatchObject({ limits: { maxLibraries: 10, maxStudents: 2000, maxStaff: 50 } });

    clock = new Date('2030-01-15T00:00:01Z');
    expect(await current(t.ownerToken)).toMatchObject({ status: 'EXPIRED', limits: { maxLibraries: 1 } });
    expect(await registryPlan(t, 'free')).toMatchObject({ limits: { maxLibraries: 1, maxStudents: 50, maxStaff: 3 } });
    // A second trial is not allowed; nothing written.
    const before = await changesOf(t);
    const again = await subscribe(t.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'trial-key-2', trial: true });
    expect(again.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await changesOf(t)).toBe(before);
  });

  it('subscribes once per key, upgrades with exact proration when paid, schedules downgrades, refuses ones that do not fit', async () => {
    clock = new Date('2030-01-01T00:00:00Z');
    const t = await sys.createTenant('sub-flow', { plan: 'starter' });
    await createLibrary(t, 'One');
    await createLibrary(t, 'Two');
    const first = await subscribe(t.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'sub-flow-1' });
    // A paid plan starts when its invoice is paid.
    expect(first.data.subscribe).toMatchObject({
      amountDue: 99_900,
      awaitingPayment: true,
      subscription: null,
      invoice: { kind: 'SUBSCRIBE', amount: 99_900 },
    });
    const replay = await subscribe(t.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'sub-flow-1' });
    expect(replay.data.subscribe.amountDue).toBe(99_900);
    await payInvoice(first.data.subscribe);
    expect(await current(t.ownerToken)).toMatchObject({ status: 'ACTIVE', periodEnd: '2030-02-01T00:00:00.000Z' });
    expect(await changesOf(t)).toBe(1);
    const reused = await subscribe(t.ownerToken, { plan: 'ENTERPRISE', cycle: 'MONTHLY', k: 'sub-flow-1' });
    expect(reused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await subscribe(t.ownerToken, { plan: 'ENTERPRISE', cycle: 'MONTHLY', k: 'sub-flow-2' })).errors?.[0].extensions?.code).toBe('CONFLICT');

    clock = new Date('2030-01-11T12:00:00Z');
    const up = await changePlan(t.ownerToken, { plan: 'PROFESSIONAL', cycle: 'MONTHLY', k: 'sub-flow-up' });
    expect(up.errors).toBeUndefined();
    // 31-day period, 20 whole days unused: credit floor(99900 × 20 / 31) = 64451; due 249900 − 64451.
    expect(up.data.changePlan).toMatchObject({ credit: 64_451, amountDue: 185_449, awaitingPayment: true, subscription: { plan: 'STARTER' } });
    await payInvoice(up.data.changePlan);
    expect(await current(t.ownerToken)).toMatchObject({
      plan: 'PROFESSIONAL',
      status: 'ACTIVE',
      periodStart: '2030-01-11T12:00:00.000Z',
      periodEnd: '2030-02-11T12:00:00.000Z',
    });
    await registryPlan(t, 'professional');
    const upAgain = await changePlan(t.ownerToken, { plan: 'PROFESSIONAL', cycle: 'MONTHLY', k: 'sub-flow-up' });
    expect(upAgain.data.changePlan).toMatchObject({ credit: 64_451, amountDue: 185_449, awaitingPayment: false });

    const n = await changesOf(t);
    const tooSmall = await changePlan(t.ownerToken, { plan: 'FREE', cycle: 'MONTHLY', k: 'sub-flow-free' });
    expect(tooSmall.errors?.[0].extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(tooSmall.errors?.[0].message).toMatch(/2 libraries \(max 1\)/);
    expect(await changesOf(t)).toBe(n);

    const down = await changePlan(t.ownerToken, { plan: 'STARTER', cycle: 'ANNUAL', k: 'sub-flow-down' });
    expect(down.data.changePlan).toMatchObject({
      amountDue: 0,
      subscription: { plan: 'PROFESSIONAL', pendingDowngrade: { plan: 'STARTER', cycle: 'ANNUAL', effectiveAt: '2030-02-11T12:00:00.000Z' } },
    });
    expect((await registryPlan(t, 'professional')).limits.maxLibraries).toBe(10);

    // Renewing before the end invoices the next period on the pending plan; unpaid at the end, the subscription is PAST_DUE (grace).
    const early = await sys.ok(`mutation { renewSubscription(idempotencyKey: "sub-flow-renew") { ${CHANGE} } }`, {}, { token: t.ownerToken });
    expect(early.renewSubscription).toMatchObject({
      amountDue: 959_000,
      awaitingPayment: true,
      invoice: { kind: 'RENEWAL' },
      subscription: { plan: 'PROFESSIONAL' },
    });
    clock = new Date('2030-02-12T00:00:00Z');
    expect(await current(t.ownerToken)).toMatchObject({ status: 'PAST_DUE', plan: 'PROFESSIONAL' });
    await payInvoice(early.renewSubscription);
    // Paid within the grace period: the new period continues from the old end, with the pending downgrade.
    expect(await current(t.ownerToken)).toMatchObject({
      plan: 'STARTER',
      cycle: 'ANNUAL',
      status: 'ACTIVE',
      periodStart: '2030-02-11T12:00:00.000Z',
      pendingDowngrade: null,
    });
    await registryPlan(t, 'starter');

    // Cancel at period end: stays ACTIVE until then, CANCELLED after.
    const cancel = await sys.ok(`mutation { cancelSubscription(idempotencyKey: "sub-flow-cancel") { ${CHANGE} } }`, {}, { token: t.ownerToken });
    expect(cancel.cancelSubscription.subscription).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });
    clock = new Date('2031-02-13T00:00:00Z');
    expect(await current(t.ownerToken)).toMatchObject({ status: 'CANCELLED' });
    await registryPlan(t, 'free');
  });

  it('invoices exactly one of 5 concurrent upgrades (different keys) and one change per key when a key races', async () => {
    clock = new Date('2030-03-01T00:00:00Z');
    const t = await sys.createTenant('sub-race');
    await payInvoice((await subscribe(t.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'sub-race-0' })).data.subscribe);
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => changePlan(t.ownerToken, { plan: 'ENTERPRISE', cycle: 'MONTHLY', k: `sub-race-up-${i}` })));
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(1);
    expect(ok[0].data.changePlan).toMatchObject({ credit: 99_900, amountDue: 700_000 });
    // Losers raced the same version: one open change invoice per version (CONFLICT).
    for (const r of results.filter((x) => x.errors)) expect(r.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await sys.db.platform().collection('saas_invoices').countDocuments({ tenantId: t.id, kind: 'UPGRADE' })).toBe(1);
    await payInvoice(ok[0].data.changePlan);
    expect(await changesOf(t)).toBe(2);

    // The same request with the same key, 5× at once: one change, the same answer for all.
    const same = await Promise.all(
      [0, 1, 2, 3, 4].map(() =>
        sys.gql(`mutation { cancelSubscription(idempotencyKey: "sub-race-cancel") { subscription { cancelAtPeriodEnd } } }`, {}, { token: t.ownerToken }),
      ),
    );
    for (const r of same) expect(r.errors ?? r.data.cancelSubscription).toEqual({ subscription: { cancelAtPeriodEnd: true } });
    expect(await changesOf(t)).toBe(3);
  });

  it('is for owners and platform admins only, rejects bad input, and isolates tenants', async () => {
    clock = new Date('2030-04-01T00:00:00Z');
    const t = await sys.createTenant('sub-perm');
    const b = await sys.createTenant('sub-perm-b');
    const manager = await sys.userToken(t, 'manager');
    expect((await subscribe(manager, { plan: 'STARTER', cycle: 'MONTHLY', k: 'sub-perm-1' })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sys.gql(`{ subscription { plan } }`, {}, { token: manager })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await subscribe(t.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'short' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await subscribe(t.ownerToken, { plan: 'GOLD', cycle: 'MONTHLY', k: 'sub-perm-2' })).errors?.[0].extensions?.code).toMatch(
      /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/,
    );
    expect((await changePlan(t.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'sub-perm-3' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await changesOf(t)).toBe(0);

    // A platform admin acts for the tenant named in x-tenant.
    const admin = await sys.gql(
      `mutation { subscribe(plan: STARTER, cycle: QUARTERLY, idempotencyKey: "sub-perm-admin") { ${CHANGE} } }`,
      {},
      { token: sys.superToken, tenant: t.slug },
    );
    expect(admin.data?.subscribe.amountDue).toBe(284_700);
    await payInvoice(admin.data.subscribe);
    expect(await current(b.ownerToken)).toBeNull();
    expect(await changesOf(b)).toBe(0);
    // B reusing A's key creates its own subscription (keys are per tenant), A is unchanged.
    expect((await subscribe(b.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'sub-perm-admin' })).data.subscribe.amountDue).toBe(99_900);
    expect(await current(t.ownerToken)).toMatchObject({ cycle: 'QUARTERLY' });
  });
});

const REPORT = `query($g: [RevenueGroupBy!]!, $f: String, $t: String) { revenueReport(groupBy: $g, fromMonth: $f, toMonth: $t) { library { id name } method month total count } }`;

describe('revenue analytics', () => {
  it('groups net revenue by method, library and month; lists pending dues with names; exports CSV', async () => {
    const { t, libraryId, studentId } = await setup('rev-happy');
    const lib2 = await createLibrary(t, 'North, "Annex"');
    const s2 = await createStudent(t, lib2, 'Ravi');
    for (const [sid, amount, method] of [
      [studentId, 1000, 'UPI'],
      [studentId, 2000, 'CASH'],
      [s2, 4000, 'UPI'],
    ] as const) {
      await sys.ok(RECORD, { i: { studentId: sid, amount, method } }, { token: t.ownerToken });
    }
    const byMethod = (await sys.ok(REPORT, { g: ['METHOD'] }, { token: t.ownerToken })).revenueReport;
    expect(byMethod).toEqual([
      { library: null, method: 'CASH', month: null, total: 2000, count: 1 },
      { library: null, method: 'UPI', month: null, total: 5000, count: 2 },
    ]);
    const byLibrary = (await sys.ok(REPORT, { g: ['LIBRARY', 'MONTH'] }, { token: t.ownerToken })).revenueReport;
    expect(byLibrary.map((r: { library: { name: string }; total: number }) => [r.library.name, r.total]).sort()).toEqual([
      ['North, "Annex"', 4000],
      ['rev-happy Central', 3000],
    ]);
    expect((await sys.ok(REPORT, { g: ['MONTH'], f: '2001-01', t: '2001-12' }, { token: t.ownerToken })).revenueReport).toEqual([]);

    // Age Ravi's only payment by 40 days (paidAt is set by the server at write time).
    await tenantDb(t)
      .collection('payments')
      .updateOne({ studentId: new Types.ObjectId(s2) }, { $set: { paidAt: new Date(Date.now() - 40 * DAY) } });
    // pendingDues comes from the dues ledger now (tests/fees.test.ts): an old payment without charges is no debt.
    const dues = (await sys.ok(`{ pendingDues(olderThanDays: 30) { student { id name } daysSinceLastPayment } }`, {}, { token: t.ownerToken })).pendingDues;
    expect(dues).toEqual([]);

    const res = await get('/exports/revenue.csv?fromMonth=2000-01&toMonth=2999-12', t.ownerToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('month,library_id,library_name,method,payments,total_paise,total_inr');
    expect(lines).toHaveLength(4);
    expect(lines).toContainEqual(expect.stringContaining(`,${lib2},"North, ""Annex""",upi,1,4000,40.00`));
    expect(lines).toContainEqual(expect.stringContaining(`,${libraryId},rev-happy Central,cash,1,2000,20.00`));
  });

  it('denies revenue to managers, rejects bad input, isolates tenants', async () => {
    const { t, studentId } = await setup('rev-deny');
    const b = await setup('rev-deny-b');
    await sys.ok(RECORD, { i: { studentId, amount: 500, method: 'CASH' } }, { token: t.ownerToken });
    const manager = await sys.userToken(t, 'manager');
    expect((await sys.gql(REPORT, { g: ['METHOD'] }, { token: manager })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Dues (fees:read) are for managers too; front-desk staff see no money.
    const staff = await sys.userToken(t, 'staff');
    expect((await sys.gql(`{ pendingDues(olderThanDays: 1) { daysSinceLastPayment } }`, {}, { token: staff })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await get('/exports/revenue.csv', manager)).status).toBe(403);
    expect((await get('/exports/revenue.csv')).status).toBe(401);

    for (const v of [{ g: [] }, { g: ['METHOD', 'METHOD'] }, { g: ['MONTH'], f: '2026-13' }, { g: ['MONTH'], f: '2026-05', t: '2026-04' }]) {
      expect({ v, code: (await sys.gql(REPORT, v, { token: t.ownerToken })).errors?.[0].extensions?.code }).toEqual({ v, code: 'BAD_USER_INPUT' });
    }
    expect((await sys.gql(`{ pendingDues(olderThanDays: -1) { daysSinceLastPayment } }`, {}, { token: t.ownerToken })).errors?.[0].extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await get('/exports/revenue.csv?fromMonth=2026-13', t.ownerToken)).status).toBe(400);
    expect((await get('/exports/revenue.csv?fromMonth=2026-05&toMonth=2026-04', t.ownerToken)).status).toBe(400);

    expect((await sys.ok(REPORT, { g: ['METHOD'] }, { token: b.t.ownerToken })).revenueReport).toEqual([]);
    expect((await (await get('/exports/revenue.csv', b.t.ownerToken)).text()).trim().split('\r\n')).toHaveLength(1);
  });
});

describe('platform SaaS revenue', () => {
  const REVENUE = `query($g: [SaasRevenueGroupBy!]!, $from: String, $to: String) { saasRevenue(groupBy: $g, fromMonth: $from, toMonth: $to) { plan cycle month amount count tenants } }`;

  it('sums charged subscription changes by plan and month across tenants, once per change, for platform staff only', async () => {
    clock = new Date('2031-06-10T00:00:00Z');
    const x = await sys.createTenant('saas-rev-x');
    const y = await sys.createTenant('saas-rev-y');
    const xs = await subscribe(x.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'saas-rev-x-1' });
    expect(xs.errors).toBeUndefined();
    // Revenue is money received: one entry per paid invoice, however often the key is replayed or the webhook delivered.
    await subscribe(x.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'saas-rev-x-1' });
    await payInvoice(xs.data.subscribe);
    await payInvoice(xs.data.subscribe);
    const racing = await Promise.all([0, 1, 2, 3].map(() => subscribe(y.ownerToken, { plan: 'PROFESSIONAL', cycle: 'ANNUAL', k: 'saas-rev-y-1' })));
    const won = racing.find((r) => r.data?.subscribe);
    expect(won).toBeDefined();
    await payInvoice(won!.data.subscribe);
    // An unpaid invoice is no revenue.
    const w = await sys.createTenant('saas-rev-w');
    await subscribe(w.ownerToken, { plan: 'ENTERPRISE', cycle: 'MONTHLY', k: 'saas-rev-w-1' });
    // A trial charges nothing.
    const z = await sys.createTenant('saas-rev-z');
    await subscribe(z.ownerToken, { plan: 'STARTER', cycle: 'MONTHLY', k: 'saas-rev-z-1', trial: true });

    const june = { from: '2031-06', to: '2031-06' };
    const byPlan = await sys.ok(REVENUE, { g: ['PLAN'], ...june }, { token: sys.superToken });
    expect(byPlan.saasRevenue).toEqual([
      { plan: 'PROFESSIONAL', cycle: null, month: null, amount: 2_399_000, count: 1, tenants: 1 },
      { plan: 'STARTER', cycle: null, month: null, amount: 99_900, count: 1, tenants: 1 },
    ]);
    const byMonth = await sys.ok(REVENUE, { g: ['MONTH', 'CYCLE'], ...june }, { token: sys.superToken });
    expect(byMonth.saasRevenue).toEqual([
      { plan: null, cycle: 'ANNUAL', month: '2031-06', amount: 2_399_000, count: 1, tenants: 1 },
      { plan: null, cycle: 'MONTHLY', month: '2031-06', amount: 99_900, count: 1, tenants: 1 },
    ]);
    expect((await sys.ok(REVENUE, { g: ['PLAN'], from: '2031-07' }, { token: sys.superToken })).saasRevenue).toEqual([]);

    // Tenants' own staff never see the platform's revenue.
    for (const token of [x.ownerToken, await sys.userToken(x, 'manager')]) {
      expect((await sys.gql(REVENUE, { g: ['PLAN'] }, { token })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    for (const v of [{ g: [] }, { g: ['PLAN', 'PLAN'] }, { g: ['PLAN'], from: '2031-13' }, { g: ['PLAN'], from: '2031-07', to: '2031-06' }]) {
      expect({ v, code: (await sys.gql(REVENUE, v, { token: sys.superToken })).errors?.[0].extensions?.code }).toEqual({ v, code: 'BAD_USER_INPUT' });
    }
  });
});
