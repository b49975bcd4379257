import { billingEnv, billingSettings } from '../subgraphs/billing/billing.env';
import { loadServiceEnv } from '../core/config';
import { createHmac } from 'node:crypto';
import { startFakeCashfree, startFakeRazorpay, type FakeGateway } from './helpers/fake-gateways';
import { until } from './helpers/until';
import { FEE_CYCLE_REACTIVATED_MS } from '../subgraphs/billing/memberships/fee-cycle-due.service';
import { startSystem, type GqlResult, type System, type TestTenant } from './helpers/system';
import { topics } from '../core/events';

/**
 * The platform collects what tenants owe it (#13 items 3 and 4): platform payment
 * orders on the PLATFORM's gateway account, SaaS invoices applied when paid, the
 * billing cycle (renewal, grace, dunning, suspension, reactivation), and credits
 * only for money the platform received. Fake providers over real HTTP.
 */
const RZP = { keyId: 'rzp_platform_key', keySecret: 'rzp-platform-secret-000', webhookSecret: 'rzp-platform-webhook-000' };
const CF = { clientId: 'cf-platform-id', clientSecret: 'cf-platform-secret-000' };
const DAY = 24 * 3600 * 1000;

/** The cycle's timing these tests assume (billing.env.ts). */
const SETTINGS = billingSettings(loadServiceEnv(billingEnv, { SAAS_GRACE_DAYS: '7', SAAS_RENEWAL_NOTICE_DAYS: '7' }));
let sys: System;
let rzp: FakeGateway;
let cf: FakeGateway;
/** The billing service's clock (subscriptions, invoices, the cycle). */
let clock = new Date('2030-01-01T00:00:00Z');

beforeAll(async () => {
  rzp = await startFakeRazorpay(RZP.keyId, RZP.keySecret);
  cf = await startFakeCashfree(CF.clientId, CF.clientSecret);
  sys = await startSystem(
    {},
    {
      billing: {
        now: () => clock,
        settings: SETTINGS,
        platformGateways: { razorpay: { baseUrl: rzp.url, ...RZP }, cashfree: { baseUrl: cf.url, ...CF }, timeoutMs: 500 },
      },
    },
  );
});
afterAll(async () => {
  await sys?.stop();
  await rzp?.stop();
  await cf?.stop();
});

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
let n = 0;
const key = (p = 'k') => `${p}-${Date.now()}-${++n}`;
const platform = () => sys.db.platform();

const ORDER =
  'id purpose status amount provider providerOrderId invoiceId packageId paidAt fulfilled checkout { provider razorpayOrderId cashfreePaymentSessionId }';
const INVOICE = `id number kind plan cycle amount credit taxableValue tax status dueAt paidAt periodStart paymentOrder { ${ORDER} }`;
const SUB = 'plan cycle status periodStart periodEnd pendingDowngrade { plan cycle }';
const CHANGE = `subscription { ${SUB} } amountDue credit awaitingPayment invoice { ${INVOICE} }`;
const ACCOUNT = `{ saasAccount { amountOwed overdueSince graceEndsAt dunningStep suspended subscription { ${SUB} } invoices { ${INVOICE} } } }`;
const CYCLE = 'mutation($at: DateTimeISO) { runSaasBillingCycle(at: $at) { tenants invoicesIssued reminders suspended reactivated failed } }';

const subscribe = (token: string, plan: string, cycle: string, k: string, tenant?: string) =>
  sys.gql(
    `mutation($p: SaasPlan!, $c: BillingCycle!, $k: String!) { subscribe(plan: $p, cycle: $c, idempotencyKey: $k) { ${CHANGE} } }`,
    { p: plan, c: cycle, k },
    { token, tenant },
  );
const changePlan = (token: string, plan: string, cycle: string, k: string) =>
  sys.gql(
    `mutation($p: SaasPlan!, $c: BillingCycle!, $k: String!) { changePlan(plan: $p, cycle: $c, idempotencyKey: $k) { ${CHANGE} } }`,
    { p: plan, c: cycle, k },
    { token },
  );
const account = async (t: TestTenant) => (await sys.ok(ACCOUNT, {}, { token: sys.superToken, tenant: t.slug })).saasAccount;
const cycle = (at: Date) => sys.gql(CYCLE, { at: at.toISOString() }, { token: sys.superToken });

const hook = (path: string) => sys.subgraphUrls.billing.replace('/graphql', path);

function razorpayWebhook(providerOrderId: string, paymentId: string, amount: number, opts: { secret?: string; eventId?: string; path?: string } = {}) {
  const raw = JSON.stringify({
    entity: 'event',
    event: 'payment.captured',
    payload: { payment: { entity: { id: paymentId, order_id: providerOrderId, amount, currency: 'INR', method: 'upi', status: 'captured' } } },
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-razorpay-signature': createHmac('sha256', opts.secret ?? RZP.webhookSecret)
      .update(raw)
      .digest('hex'),
  };
  if (opts.eventId) headers['x-razorpay-event-id'] = opts.eventId;
  return fetch(hook(opts.path ?? '/webhooks/platform/razorpay'), { method: 'POST', headers, body: raw });
}

function cashfreeWebhook(orderId: string, cfPaymentId: number, amount: number) {
  const raw = JSON.stringify({
    type: 'PAYMENT_SUCCESS_WEBHOOK',
    data: {
      order: { order_id: orderId },
      payment: { cf_payment_id: cfPaymentId, payment_status: 'SUCCESS', payment_amount: amount / 100, payment_group: 'upi' },
    },
  });
  const ts = String(Date.now());
  return fetch(hook('/webhooks/platform/cashfree'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-timestamp': ts,
      'x-webhook-signature': createHmac('sha256', CF.clientSecret)
        .update(ts + raw)
        .digest('base64'),
    },
    body: raw,
  });
}

let paymentN = 1000;
/** The provider reports the order paid (signed webhook of the platform account). */
async function pay(order: Doc): Promise<Response> {
  const res =
    order.provider === 'RAZORPAY'
      ? await razorpayWebhook(order.providerOrderId, `pay_${++paymentN}`, order.amount, { eventId: `evt_${paymentN}` })
      : await cashfreeWebhook(order.providerOrderId, ++paymentN, order.amount);
  expect(res.status).toBe(200);
  return res;
}

const registry = (t: TestTenant) => platform().collection('tenants').findOne({ slug: t.slug });

describe('SaaS invoices paid through platform payment orders', () => {
  it('subscribe invoices the plan on the platform account; the plan starts once paid, exactly once under webhook replays', async () => {
    clock = new Date('2030-01-01T00:00:00Z');
    const t = await sys.createTenant('saas-sub');
    const k = key('sub');
    const first = await subscribe(t.ownerToken, 'STARTER', 'MONTHLY', k);
    expect(first.errors).toBeUndefined();
    const c = first.data.subscribe;
    expect(c).toMatchObject({
      subscription: null,
      amountDue: 99_900,
      awaitingPayment: true,
      invoice: { kind: 'SUBSCRIBE', plan: 'STARTER', amount: 99_900, status: 'OPEN', taxableValue: 84_661, tax: 15_239 },
    });
    expect(c.invoice.number).toMatch(/^SAAS\/2029-30\/\d{6}$/);
    const order = c.invoice.paymentOrder;
    expect(order).toMatchObject({ purpose: 'SAAS_INVOICE', status: 'CREATED', amount: 99_900, invoiceId: c.invoice.id, fulfilled: false });
    // Cheapest at ₹999 is Cashfree, with the PLATFORM's credentials (tenants' gateways are not configured here at all).
    expect(order.provider).toBe('CASHFREE');
    expect(cf.requests.at(-1)!.headers['x-client-id']).toBe(CF.clientId);

    // Retries: same invoice and order; the same key for another plan is a CONFLICT; another change waits for this one.
    const again = await subscribe(t.ownerToken, 'STARTER', 'MONTHLY', k);
    expect(again.data.subscribe.invoice.id).toBe(c.invoice.id);
    expect(again.data.subscribe.invoice.paymentOrder.id).toBe(order.id);
    expect(code(await subscribe(t.ownerToken, 'ENTERPRISE', 'MONTHLY', k))).toBe('CONFLICT');
    expect(code(await subscribe(t.ownerToken, 'ENTERPRISE', 'MONTHLY', key('other')))).toBe('CONFLICT');
    expect(await platform().collection('saas_invoices').countDocuments({ tenantId: t.id })).toBe(1);
    expect(await platform().collection('platform_payment_orders').countDocuments({ tenantId: t.id })).toBe(1);
    expect(await sys.ok(`{ subscription { plan } }`, {}, { token: t.ownerToken })).toEqual({ subscription: null });

    // A forged webhook changes nothing.
    const forged = await razorpayWebhook(order.providerOrderId, 'pay_forged', 99_900, { secret: 'wrong' });
    expect(forged.status).toBe(401);
    expect(await platform().collection('platform_payment_captures').countDocuments({ tenantId: t.id })).toBe(0);

    // The capture, reported 4× at once (replays): one capture, the plan starts once.
    const results = await Promise.all([0, 1, 2, 3].map(() => cashfreeWebhook(order.providerOrderId, 777_001, 99_900)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await platform().collection('platform_payment_captures').countDocuments({ tenantId: t.id })).toBe(1);
    const changes = await sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('saas_subscription_changes').find({ kind: 'PAY' }).toArray();
    expect(changes).toHaveLength(1);
    const acc = await account(t);
    expect(acc).toMatchObject({
      amountOwed: 0,
      dunningStep: 'NONE',
      suspended: false,
      subscription: { plan: 'STARTER', status: 'ACTIVE', periodEnd: '2030-02-01T00:00:00.000Z' },
    });
    expect(acc.invoices[0]).toMatchObject({ status: 'PAID', paymentOrder: { status: 'PAID', fulfilled: true } });
    expect(await platform().collection('saas_charges').countDocuments({ tenantId: t.id })).toBe(1);
    await until(
      () => registry(t),
      (r) => r?.plan === 'starter',
      'registry plan starter',
    );
  });

  it('upgrades when the prorated difference is paid (verify + webhook at once: one capture); downgrades wait unless a platform admin applies them', async () => {
    clock = new Date('2030-01-01T00:00:00Z');
    const t = await sys.createTenant('saas-up');
    await pay((await subscribe(t.ownerToken, 'STARTER', 'MONTHLY', key('s'))).data.subscribe.invoice.paymentOrder);
    clock = new Date('2030-01-11T12:00:00Z');
    const up = (await changePlan(t.ownerToken, 'PROFESSIONAL', 'MONTHLY', key('up'))).data.changePlan;
    // 31-day period, 20 whole days unused: credit floor(99900 × 20 / 31) = 64451; due 249900 − 64451.
    expect(up).toMatchObject({ credit: 64_451, amountDue: 185_449, awaitingPayment: true, subscription: { plan: 'STARTER' }, invoice: { kind: 'UPGRADE' } });
    const order = up.invoice.paymentOrder;
    clock = new Date('2030-01-12T00:00:00Z');
    if (order.provider === 'RAZORPAY') {
      const sig = createHmac('sha256', RZP.keySecret).update(`${order.providerOrderId}|pay_up1`).digest('hex');
      const bad = await sys.gql(
        `mutation($i: VerifyRazorpayPaymentInput!) { verifyPlatformRazorpayPayment(input: $i) { status } }`,
        { i: { orderId: order.id, razorpayPaymentId: 'pay_up1', razorpaySignature: '0'.repeat(64) } },
        { token: t.ownerToken },
      );
      expect(code(bad)).toBe('BAD_USER_INPUT');
      const [verified] = await Promise.all([
        sys.gql(
          `mutation($i: VerifyRazorpayPaymentInput!) { verifyPlatformRazorpayPayment(input: $i) { status fulfilled } }`,
          { i: { orderId: order.id, razorpayPaymentId: 'pay_up1', razorpaySignature: sig } },
          { token: t.ownerToken },
        ),
        razorpayWebhook(order.providerOrderId, 'pay_up1', order.amount, { eventId: 'evt_up1' }),
      ]);
      expect(verified.data.verifyPlatformRazorpayPayment).toEqual({ status: 'PAID', fulfilled: true });
    } else {
      await Promise.all([cashfreeWebhook(order.providerOrderId, 888_001, order.amount), cashfreeWebhook(order.providerOrderId, 888_001, order.amount)]);
    }
    expect(await platform().collection('platform_payment_captures').countDocuments({ tenantId: t.id })).toBe(2);
    const s = (await account(t)).subscription;
    expect(s).toMatchObject({ plan: 'PROFESSIONAL', status: 'ACTIVE', periodStart: '2030-01-12T00:00:00.000Z', periodEnd: '2030-02-12T00:00:00.000Z' });

    // A downgrade costs nothing now and waits for the period's end...
    const down = (await changePlan(t.ownerToken, 'STARTER', 'MONTHLY', key('down'))).data.changePlan;
    expect(down).toMatchObject({
      amountDue: 0,
      awaitingPayment: false,
      invoice: null,
      subscription: { plan: 'PROFESSIONAL', pendingDowngrade: { plan: 'STARTER', cycle: 'MONTHLY' } },
    });
    // ...unless a platform admin applies it now; owners cannot.
    const APPLY = `mutation($k: String!) { applyScheduledDowngrade(idempotencyKey: $k) { subscription { plan pendingDowngrade { plan } } amountDue } }`;
    expect(code(await sys.gql(APPLY, { k: key('own') }, { token: t.ownerToken }))).toBe('FORBIDDEN');
    const applied = await sys.gql(APPLY, { k: key('adm') }, { token: sys.superToken, tenant: t.slug });
    expect(applied.data.applyScheduledDowngrade).toEqual({ subscription: { plan: 'STARTER', pendingDowngrade: null }, amountDue: 0 });
    expect(code(await sys.gql(APPLY, { k: key('adm2') }, { token: sys.superToken, tenant: t.slug }))).toBe('BAD_USER_INPUT');

    // The free plan needs no payment.
    const f = await sys.createTenant('saas-free');
    const free = (await subscribe(f.ownerToken, 'FREE', 'MONTHLY', key('free'))).data.subscribe;
    expect(free).toMatchObject({ amountDue: 0, awaitingPayment: false, invoice: null, subscription: { plan: 'FREE', status: 'ACTIVE' } });
  });

  it('keeps SaaS billing to owners and platform staff, per tenant', async () => {
    const t = await sys.createTenant('saas-perm');
    const other = await sys.createTenant('saas-perm-b');
    const manager = await sys.userToken(t, 'manager');
    expect(code(await sys.gql(ACCOUNT, {}, { token: manager }))).toBe('FORBIDDEN');
    expect(code(await subscribe(manager, 'STARTER', 'MONTHLY', key('m')))).toBe('FORBIDDEN');
    expect(code(await sys.gql(CYCLE, {}, { token: t.ownerToken }))).toBe('FORBIDDEN');
    const mine = (await subscribe(t.ownerToken, 'STARTER', 'MONTHLY', key('p'))).data.subscribe.invoice;
    // Another tenant's owner sees neither the order nor the invoice.
    expect(
      (await sys.ok(`query($id: ID!) { platformPaymentOrder(id: $id) { id } }`, { id: mine.paymentOrder.id }, { token: other.ownerToken }))
        .platformPaymentOrder,
    ).toBeNull();
    expect(code(await sys.gql(`mutation($id: ID!) { paySaasInvoice(invoiceId: $id) { id } }`, { id: mine.id }, { token: other.ownerToken }))).toBe('NOT_FOUND');
    expect((await sys.ok(ACCOUNT, {}, { token: other.ownerToken })).saasAccount.invoices).toEqual([]);
    // Importing a migrated customer's period is for platform staff, once, never in the future.
    const IMPORT = `mutation($s: DateTimeISO!, $k: String!) { importSubscription(plan: STARTER, cycle: MONTHLY, periodStart: $s, idempotencyKey: $k) { subscription { status periodEnd } amountDue } }`;
    const u = await sys.createTenant('saas-import');
    expect(code(await sys.gql(IMPORT, { s: clock.toISOString(), k: key('i') }, { token: u.ownerToken }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(IMPORT, { s: new Date(clock.getTime() + DAY).toISOString(), k: key('i') }, { token: sys.superToken, tenant: u.slug }))).toBe(
      'BAD_USER_INPUT',
    );
    const imported = await sys.gql(IMPORT, { s: clock.toISOString(), k: key('i') }, { token: sys.superToken, tenant: u.slug });
    expect(imported.data.importSubscription).toMatchObject({ amountDue: 0, subscription: { status: 'ACTIVE' } });
    expect(code(await sys.gql(IMPORT, { s: clock.toISOString(), k: key('i') }, { token: sys.superToken, tenant: u.slug }))).toBe('CONFLICT');
    // Its own owner gets the same order back.
    expect((await sys.ok(`mutation($id: ID!) { paySaasInvoice(invoiceId: $id) { id } }`, { id: mine.id }, { token: t.ownerToken })).paySaasInvoice.id).toBe(
      mine.paymentOrder.id,
    );
  });
});

describe('the SaaS billing cycle', () => {
  it('renews, reminds, suspends after grace and reactivates on payment — one effect per step under concurrent runs', async () => {
    clock = new Date('2031-03-01T00:00:00Z');
    const t = await sys.createTenant('saas-cycle');
    await pay((await subscribe(t.ownerToken, 'STARTER', 'MONTHLY', key('c'))).data.subscribe.invoice.paymentOrder);
    const periodEnd = new Date('2031-04-01T00:00:00Z');
    const mine = (r: GqlResult) => r.data.runSaasBillingCycle;
    const notifications = async () =>
      (await sys.ok(`{ notifications { type title } }`, {}, { token: t.ownerToken })).notifications.filter((x: Doc) => x.type === 'SAAS_PAYMENT_DUE');

    // 10 days before the end: nothing yet.
    clock = new Date(periodEnd.getTime() - 10 * DAY);
    expect(mine(await cycle(clock))).toMatchObject({ failed: 0 });
    expect(await platform().collection('saas_invoices').countDocuments({ tenantId: t.id, kind: 'RENEWAL' })).toBe(0);

    // 5 days before: two instances at once issue ONE renewal invoice and ONE reminder.
    clock = new Date(periodEnd.getTime() - 5 * DAY);
    const runs = await Promise.all([cycle(clock), cycle(clock)]);
    expect(runs.map(code)).toEqual([undefined, undefined]);
    expect(runs.reduce((s, r) => s + mine(r).invoicesIssued, 0)).toBe(1);
    expect(runs.reduce((s, r) => s + mine(r).reminders, 0)).toBe(1);
    const renewal = await platform().collection('saas_invoices').find({ tenantId: t.id, kind: 'RENEWAL' }).toArray();
    expect(renewal).toHaveLength(1);
    expect(renewal[0]).toMatchObject({ amount: 99_900, status: 'OPEN', dueAt: periodEnd });
    expect(renewal[0].orderId).toBeTruthy();
    expect(await until(notifications, (x) => x.length === 1, 'issued reminder')).toEqual([
      { type: 'SAAS_PAYMENT_DUE', title: 'Subscription renewal invoice issued' },
    ]);
    expect(await account(t)).toMatchObject({ amountOwed: 99_900, dunningStep: 'ISSUED', overdueSince: null });

    // The period ends unpaid: PAST_DUE (plan kept) for the grace period; one OVERDUE reminder.
    clock = new Date(periodEnd.getTime() + 1 * DAY);
    const overdue = await Promise.all([cycle(clock), cycle(clock)]);
    expect(overdue.reduce((s, r) => s + mine(r).reminders, 0)).toBe(1);
    expect(overdue.reduce((s, r) => s + mine(r).suspended, 0)).toBe(0);
    expect(await account(t)).toMatchObject({
      dunningStep: 'OVERDUE',
      overdueSince: periodEnd.toISOString(),
      graceEndsAt: new Date(periodEnd.getTime() + 7 * DAY).toISOString(),
      subscription: { status: 'PAST_DUE', plan: 'STARTER' },
      suspended: false,
    });
    await until(notifications, (x) => x.length === 2, 'overdue reminder');

    // Grace over: two runs at once suspend ONCE, through the tenant subgraph.
    clock = new Date(periodEnd.getTime() + 8 * DAY);
    const statusEvents: Doc[] = [];
    const off = await sys.pubsub.subscribe(topics.tenantStatus, (e) => void statusEvents.push(e));
    const suspend = await Promise.all([cycle(clock), cycle(clock)]);
    expect(suspend.reduce((s, r) => s + mine(r).suspended, 0)).toBe(1);
    await until(
      () => registry(t),
      (r) => r?.status === 'suspended',
      'suspended',
    );
    expect(
      code(
        await sys.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: t.ownerEmail, password: t.password, tenant: t.slug } }),
      ),
    ).toBe('TENANT_SUSPENDED');
    const suspended = await account(t);
    expect(suspended).toMatchObject({ dunningStep: 'SUSPENDED', suspended: true, amountOwed: 99_900, subscription: { status: 'EXPIRED' } });
    // The platform's receivables list it, oldest due first; tenants cannot read it.
    const receivables = (await sys.ok(`{ saasInvoices { tenantId kind amount dueAt status } }`, {}, { token: sys.superToken })).saasInvoices;
    expect(receivables).toContainEqual({ tenantId: t.id, kind: 'RENEWAL', amount: 99_900, dueAt: periodEnd.toISOString(), status: 'OPEN' });
    expect(code(await sys.gql(`{ saasInvoices { id } }`, {}, { token: (await sys.createTenant('saas-cycle-peek')).ownerToken }))).toBe('FORBIDDEN');
    // Again: nothing more.
    expect(mine(await cycle(clock))).toMatchObject({ suspended: 0, reminders: 0, invoicesIssued: 0 });
    expect(await platform().collection('saas_dunning').countDocuments({ tenantId: t.id })).toBe(4);

    // The owner pays the overdue invoice (checkout link of the reminder): reactivated once, a new period from now.
    const order = (suspended.invoices as Doc[]).find((i) => i.kind === 'RENEWAL')!.paymentOrder;
    await pay(order);
    await until(
      () => registry(t),
      (r) => r?.status === 'active',
      'reactivated',
    );
    expect(await account(t)).toMatchObject({
      amountOwed: 0,
      dunningStep: 'NONE',
      suspended: false,
      subscription: { status: 'ACTIVE', plan: 'STARTER', periodStart: clock.toISOString() },
    });
    expect(mine(await cycle(clock))).toMatchObject({ reactivated: 0, suspended: 0 });
    // Its students' fee cycle stalled while suspended: it is due again shortly after the event.
    const marks = await platform()
      .collection<{ _id: string; at: Date }>('fee_cycle_due')
      .find({ _id: { $regex: `^${t.id}:` } } as never)
      .toArray();
    expect(marks.map((m) => m.at.getTime())).toEqual([clock.getTime() + FEE_CYCLE_REACTIVATED_MS]);
    off();
    expect(statusEvents.filter((e) => e.tenantId === t.id).map((e) => e.status)).toEqual(['suspended', 'active']);
  });

  it('a renewal paid early starts the next period exactly at the end of the current one', async () => {
    clock = new Date('2032-01-01T00:00:00Z');
    const t = await sys.createTenant('saas-early');
    await pay((await subscribe(t.ownerToken, 'STARTER', 'MONTHLY', key('e'))).data.subscribe.invoice.paymentOrder);
    clock = new Date('2032-01-20T00:00:00Z');
    const renew = (await sys.ok(`mutation($k: String!) { renewSubscription(idempotencyKey: $k) { ${CHANGE} } }`, { k: key('r') }, { token: t.ownerToken }))
      .renewSubscription;
    expect(renew).toMatchObject({ amountDue: 99_900, awaitingPayment: true, invoice: { kind: 'RENEWAL', periodStart: '2032-02-01T00:00:00.000Z' } });
    await pay(renew.invoice.paymentOrder);
    expect((await account(t)).subscription).toMatchObject({ periodEnd: '2032-02-01T00:00:00.000Z' });
    clock = new Date('2032-02-03T00:00:00Z');
    expect((await account(t)).subscription).toMatchObject({ status: 'ACTIVE', periodStart: '2032-02-01T00:00:00.000Z', periodEnd: '2032-03-01T00:00:00.000Z' });
    expect(mine0(await cycle(clock))).toMatchObject({ failed: 0 });
    expect(await platform().collection('saas_dunning').countDocuments({ tenantId: t.id })).toBe(0);
  });
});
const mine0 = (r: GqlResult) => r.data.runSaasBillingCycle;

describe('the billing cycle never duns what is not owed', () => {
  it('voids the renewal invoice after a cancellation or an upgrade, and refuses a future run', async () => {
    clock = new Date('2033-01-01T00:00:00Z');
    const t = await sys.createTenant('saas-void');
    await pay((await subscribe(t.ownerToken, 'STARTER', 'MONTHLY', key('v'))).data.subscribe.invoice.paymentOrder);
    clock = new Date('2033-01-28T00:00:00Z');
    expect(mine0(await cycle(clock)).failed).toBe(0);
    expect((await account(t)).invoices.find((i: Doc) => i.kind === 'RENEWAL')).toMatchObject({ status: 'OPEN' });
    // Upgraded and paid: a new period, so the old renewal is no longer owed.
    const up = (await changePlan(t.ownerToken, 'PROFESSIONAL', 'MONTHLY', key('vu'))).data.changePlan;
    await pay(up.invoice.paymentOrder);
    clock = new Date('2033-02-20T00:00:00Z');
    const run = mine0(await cycle(clock));
    expect(run).toMatchObject({ suspended: 0, failed: 0 });
    const acc = await account(t);
    expect(acc.invoices.find((i: Doc) => i.kind === 'RENEWAL')).toMatchObject({ status: 'VOID' });
    expect(acc).toMatchObject({ amountOwed: 0, dunningStep: 'NONE', subscription: { plan: 'PROFESSIONAL', status: 'ACTIVE' } });
    expect(await platform().collection('saas_dunning').countDocuments({ tenantId: t.id, step: 'REMINDER_OVERDUE' })).toBe(0);

    // Cancelled: its renewal invoice (issued before the cancellation) is voided, the period simply ends.
    const renew = (await sys.ok(`mutation($k: String!) { renewSubscription(idempotencyKey: $k) { ${CHANGE} } }`, { k: key('vr') }, { token: t.ownerToken }))
      .renewSubscription;
    expect(renew.invoice).toMatchObject({ kind: 'RENEWAL', status: 'OPEN' });
    await sys.ok(`mutation($k: String!) { cancelSubscription(idempotencyKey: $k) { amountDue } }`, { k: key('vc') }, { token: t.ownerToken });
    clock = new Date('2033-04-01T00:00:00Z');
    expect(mine0(await cycle(clock))).toMatchObject({ suspended: 0, reminders: 0 });
    expect(await account(t)).toMatchObject({ amountOwed: 0, suspended: false, subscription: { status: 'CANCELLED' } });
    expect((await registry(t))?.status).toBe('active');

    expect(code(await cycle(new Date(clock.getTime() + 30 * DAY)))).toBe('BAD_USER_INPUT');
  });
});

describe('credits only for money the platform received', () => {
  const BUY = `mutation($p: ID!, $pay: ID!, $k: String!) { purchaseCreditPackage(packageId: $p, paymentId: $pay, idempotencyKey: $k) { sms } }`;

  it('a credit-package order credits the wallet once when paid; a student-fee payment never buys credits', async () => {
    const t = await sys.createTenant('saas-credits', { plan: 'starter' });
    const vendor = (
      await sys.ok(`mutation { createVendor(input: { name: "${key('v')}", channel: SMS, costPaisePerCredit: 10 }) { id } }`, {}, { token: sys.superToken })
    ).createVendor.id;
    await sys.ok(
      `mutation($v: ID!, $k: String!) { purchaseCreditsFromVendor(vendorId: $v, credits: 10000, idempotencyKey: $k) { id } }`,
      { v: vendor, k: key('stock') },
      { token: sys.superToken },
    );
    const pkg = (
      await sys.ok(`mutation { createCreditPackage(input: { channel: SMS, credits: 500, pricePaise: 10000 }) { id } }`, {}, { token: sys.superToken })
    ).createCreditPackage.id;
    const sms = async () => (await sys.ok(`{ wallet { sms } }`, {}, { token: t.ownerToken })).wallet.sms;

    // The exploit of #13: a CASH payment recorded by the owner, offered to buy credits — refused, nothing moves.
    const lib = await sys.ok(`mutation { createLibrary(input: { name: "Main", capacity: 10 }) { id } }`, {}, { token: t.ownerToken });
    const st = await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name: 'Asha', phone: '9876543210', libraryId: lib.createLibrary.id } },
      { token: t.ownerToken },
    );
    const cash = (
      await sys.ok(
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
        { i: { studentId: st.createStudent.id, amount: 1_000_000, method: 'CASH', idempotencyKey: key('cash') } },
        { token: t.ownerToken },
      )
    ).recordPayment.id;
    const ledgerBefore = await platform().collection('credit_master_ledger').countDocuments();
    expect(code(await sys.gql(BUY, { p: pkg, pay: cash, k: key('exploit') }, { token: t.ownerToken }))).toBe('NOT_FOUND');
    expect(await sms()).toBe(0);
    expect(await platform().collection('credit_master_ledger').countDocuments()).toBe(ledgerBefore);
    // Nor can a tenant say money arrived: deliverCreditPackage is billing's alone.
    const deliver = await sys.gql(
      `mutation { deliverCreditPackage(orderId: "${'a'.repeat(24)}", packageId: "${pkg}", amountPaid: 10000) }`,
      {},
      { token: t.ownerToken, url: sys.subgraphUrls.credits },
    );
    expect(code(deliver)).toBe('FORBIDDEN');

    // The real path: a platform payment order for the package price (₹100: Razorpay is cheapest).
    const ORDER_Q = `mutation($p: ID!, $k: String!) { createCreditPackageOrder(packageId: $p, idempotencyKey: $k) { ${ORDER} } }`;
    const k = key('pkg');
    const order = (await sys.ok(ORDER_Q, { p: pkg, k }, { token: t.ownerToken })).createCreditPackageOrder;
    expect(order).toMatchObject({ purpose: 'CREDIT_PACKAGE', packageId: pkg, amount: 10_000, status: 'CREATED', provider: 'RAZORPAY' });
    expect(rzp.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from(`${RZP.keyId}:${RZP.keySecret}`).toString('base64')}`);
    expect((await sys.ok(ORDER_Q, { p: pkg, k }, { token: t.ownerToken })).createCreditPackageOrder.id).toBe(order.id);
    // Unpaid: nothing to claim.
    expect(code(await sys.gql(BUY, { p: pkg, pay: order.id, k: key('early') }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');

    // Paid: Checkout's verify racing webhook replays (same event, new event id), then the owner's claims: delivered once.
    const sig = createHmac('sha256', RZP.keySecret).update(`${order.providerOrderId}|pay_pkg1`).digest('hex');
    const [verified] = await Promise.all([
      sys.gql(
        `mutation($i: VerifyRazorpayPaymentInput!) { verifyPlatformRazorpayPayment(input: $i) { status fulfilled } }`,
        { i: { orderId: order.id, razorpayPaymentId: 'pay_pkg1', razorpaySignature: sig } },
        { token: t.ownerToken },
      ),
      razorpayWebhook(order.providerOrderId, 'pay_pkg1', 10_000, { eventId: 'evt_pkg_a' }),
      razorpayWebhook(order.providerOrderId, 'pay_pkg1', 10_000, { eventId: 'evt_pkg_a' }),
      razorpayWebhook(order.providerOrderId, 'pay_pkg1', 10_000, { eventId: 'evt_pkg_b' }),
    ]);
    expect(verified.data.verifyPlatformRazorpayPayment).toEqual({ status: 'PAID', fulfilled: true });
    expect(await platform().collection('platform_payment_captures').countDocuments({ tenantId: t.id })).toBe(1);
    expect(await sms()).toBe(500);
    const claims = await Promise.all([0, 1, 2].map(() => sys.gql(BUY, { p: pkg, pay: order.id, k: key('claim') }, { token: t.ownerToken })));
    for (const r of claims) expect(r.data?.purchaseCreditPackage).toEqual({ sms: 500 });
    expect(await sms()).toBe(500);
    const ledger = await sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('credit_ledger').find({ status: 'applied' }).toArray();
    expect(ledger.map((e) => [e.reason, e.delta, e.balanceAfter])).toEqual([['package', 500, 500]]);
    const sale = await platform()
      .collection('credit_master_ledger')
      .findOne({ key: `package:${t.id}:${order.id}` });
    expect(sale).toMatchObject({ delta: -500, revenuePaise: 10_000, status: 'applied' });
    // The order bought this package only.
    const other = (
      await sys.ok(`mutation { createCreditPackage(input: { channel: SMS, credits: 50, pricePaise: 1000 }) { id } }`, {}, { token: sys.superToken })
    ).createCreditPackage.id;
    expect(code(await sys.gql(BUY, { p: other, pay: order.id, k: key('x') }, { token: t.ownerToken }))).toBe('CONFLICT');
  });
});
