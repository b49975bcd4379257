import { createHmac } from 'node:crypto';
import { Types } from 'mongoose';
import { startFakeCashfree, startFakeRazorpay, type FakeGateway } from './helpers/fake-gateways';
import pino from 'pino';
import { until } from './helpers/until';
import { startSystem, type System, type TestTenant } from './helpers/system';
import { paymentServices } from '../subgraphs/billing/providers/gateway.env';
import { ABSENT_FAIL_MS, RECHECK_MS, RETRY_MS } from '../subgraphs/billing/fees/refund-due.service';
import { reconcileRefunds } from '../subgraphs/billing/fees/refund-reconcile.service';

const RZP = { keyId: 'rzp_test_key', keySecret: 'rzp-key-secret-000', webhookSecret: 'rzp-webhook-secret-000' };
const CF = { clientId: 'cf-client-id', clientSecret: 'cf-client-secret-000' };

let sys: System;
let rzp: FakeGateway;
/** The billing service's log lines (the other services log at warn to stdout). */
const billingLog: string[] = [];
let cf: FakeGateway;
/** How far billing's clock runs ahead of real time. */
let skewMs = 0;
beforeAll(async () => {
  rzp = await startFakeRazorpay(RZP.keyId, RZP.keySecret);
  cf = await startFakeCashfree(CF.clientId, CF.clientSecret);
  sys = await startSystem(
    { LOG_LEVEL: 'warn' },
    {
      billing: {
        logDestination: { write: (line: string) => void billingLog.push(line) },
        gateways: { razorpay: { baseUrl: rzp.url, ...RZP }, cashfree: { baseUrl: cf.url, ...CF }, timeoutMs: 500 },
        // The refund reconcile job runs as in production, on a clock the lost-refund test moves on.
        now: () => new Date(Date.now() + skewMs),
        refundReconcileIntervalMs: 100,
      },
    },
  );
});
afterAll(async () => {
  await sys?.stop();
  await rzp?.stop();
  await cf?.stop();
});
beforeEach(() => {
  for (const f of [rzp, cf]) {
    f.mode = 'ok';
    f.refundMode = undefined;
    f.requests.length = 0;
  }
});

const ORDER = `mutation($i: CreatePaymentOrderInput!) { createPaymentOrder(input: $i) {
  id provider providerOrderId amount status routingReason
  routing { chosen reason attempts { provider ok error fee } }
  checkout { provider razorpayOrderId razorpayKeyId cashfreePaymentSessionId } } }`;
const VERIFY = `mutation($i: VerifyRazorpayPaymentInput!) { verifyRazorpayPayment(input: $i) { id amount method status provider providerPaymentId } }`;
const REFUND = `mutation($i: RefundPaymentInput!) { refundPayment(input: $i) {
  id amount refundedAfter status provider providerRefundId payment { id status refundedAmount } } }`;
const ORDER_BY_ID = `query($id: ID!) { paymentOrder(id: $id) { status payment { id amount } } }`;

const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const count = (t: TestTenant, coll: string, filter: Record<string, unknown> = {}) => tenantDb(t).collection(coll).countDocuments(filter);
let keyN = 0;
const key = () => `key-${Date.now()}-${++keyN}`;

async function setup(slug: string) {
  const t = await sys.createTenant(slug, { plan: 'starter' });
  const lib = await sys.ok(`mutation { createLibrary(input: { name: "Main", capacity: 30 }) { id } }`, {}, { token: t.ownerToken });
  const s = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name: 'Asha', phone: '9876543210', libraryId: lib.createLibrary.id } },
    { token: t.ownerToken },
  );
  return { t, studentId: s.createStudent.id as string };
}

const order = (token: string, i: Record<string, unknown>) => sys.gql(ORDER, { i }, { token });
const refund = (token: string, i: Record<string, unknown>) => sys.gql(REFUND, { i }, { token });

function webhookUrl(provider: 'razorpay' | 'cashfree') {
  return sys.subgraphUrls.billing.replace('/graphql', `/webhooks/${provider}`);
}

function razorpayWebhook(body: unknown, opts: { eventId?: string; secret?: string } = {}) {
  const raw = JSON.stringify(body);
  const sig = createHmac('sha256', opts.secret ?? RZP.webhookSecret)
    .update(raw)
    .digest('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-razorpay-signature': sig };
  if (opts.eventId) headers['x-razorpay-event-id'] = opts.eventId;
  return fetch(webhookUrl('razorpay'), { method: 'POST', headers, body: raw });
}

function cashfreeWebhook(body: unknown, opts: { secret?: string; tamper?: boolean } = {}) {
  const raw = JSON.stringify(body);
  const ts = String(Date.now());
  const sig = createHmac('sha256', opts.secret ?? CF.clientSecret)
    .update(ts + raw)
    .digest('base64');
  return fetch(webhookUrl('cashfree'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-timestamp': ts, 'x-webhook-signature': sig },
    body: opts.tamper ? raw.replace('"SUCCESS"', '"SUCCESS" ') : raw,
  });
}

const captured = (paymentId: string, orderId: string, amount: number, event = 'payment.captured') => ({
  entity: 'event',
  event,
  payload: { payment: { entity: { id: paymentId, order_id: orderId, amount, currency: 'INR', method: 'upi', status: 'captured', notes: {} } } },
});

const cfEvent = (orderId: string, cfPaymentId: number, rupees: number, status: string) => ({
  type: status === 'SUCCESS' ? 'PAYMENT_SUCCESS_WEBHOOK' : 'PAYMENT_FAILED_WEBHOOK',
  data: {
    order: { order_id: orderId, order_amount: rupees },
    payment: { cf_payment_id: cfPaymentId, payment_status: status, payment_amount: rupees, payment_group: 'upi' },
  },
});

const checkoutSig = (orderId: string, paymentId: string, secret = RZP.keySecret) =>
  createHmac('sha256', secret).update(`${orderId}|${paymentId}`).digest('hex');

describe('gateway routing and failover', () => {
  it("routes ₹100 to Razorpay and ₹1000 to Cashfree (cheapest fee), with the providers' request shapes", async () => {
    const { t, studentId } = await setup('gw-route');
    const small = await order(t.ownerToken, { studentId, amount: 10_000, purpose: 'June fee', idempotencyKey: key() });
    expect(small.errors).toBeUndefined();
    expect(small.data.createPaymentOrder).toMatchObject({
      provider: 'RAZORPAY',
      amount: 10_000,
      status: 'CREATED',
      routingReason: 'CHEAPEST',
      routing: { chosen: 'RAZORPAY', reason: 'CHEAPEST', attempts: [{ provider: 'RAZORPAY', ok: true, error: null, fee: 200 }] },
      checkout: { provider: 'RAZORPAY', razorpayKeyId: RZP.keyId, cashfreePaymentSessionId: null },
    });
    const o1 = small.data.createPaymentOrder;
    expect(o1.providerOrderId).toMatch(/^order_/);
    expect(o1.checkout.razorpayOrderId).toBe(o1.providerOrderId);
    expect(rzp.requests).toHaveLength(1);
    expect(rzp.requests[0].body).toEqual({ amount: 10_000, currency: 'INR', receipt: o1.id, notes: { tenant: t.id, orderId: o1.id } });

    const big = await order(t.ownerToken, { studentId, amount: 100_000, idempotencyKey: key() });
    expect(big.errors).toBeUndefined();
    const o2 = big.data.createPaymentOrder;
    expect(o2).toMatchObject({
      provider: 'CASHFREE',
      providerOrderId: o2.id,
      routingReason: 'CHEAPEST',
      routing: { attempts: [{ provider: 'CASHFREE', fee: 1800 }] },
    });
    expect(o2.checkout.cashfreePaymentSessionId).toMatch(/^session_/);
    expect(cf.requests[0].body).toMatchObject({
      order_id: o2.id,
      order_amount: 1000,
      order_currency: 'INR',
      customer_details: { customer_id: studentId, customer_phone: '9876543210' },
    });
    expect(cf.requests[0].headers['x-api-version']).toBe('2023-08-01');

    // The platform index lets webhooks (no token) find tenant and order.
    const index = await sys.db
      .platform()
      .collection('payment_order_index')
      .find({ orderId: trusted(o1.id, o2.id) })
      .toArray();
    expect(index.map((e) => e._id).sort()).toEqual([`cashfree:${o2.id}`, `razorpay:${o1.providerOrderId}`].sort());
    expect(index.every((e) => e.tenantId.toHexString() === t.id)).toBe(true);
  });

  it('fails over when the cheaper gateway errors or hangs, and records why', async () => {
    const { t, studentId } = await setup('gw-failover');
    rzp.mode = 'fail';
    const failed = await order(t.ownerToken, { studentId, amount: 10_000, idempotencyKey: key() });
    expect(failed.errors).toBeUndefined();
    expect(failed.data.createPaymentOrder).toMatchObject({
      provider: 'CASHFREE',
      routingReason: 'FAILOVER',
      routing: {
        chosen: 'CASHFREE',
        reason: 'FAILOVER',
        attempts: [
          { provider: 'RAZORPAY', ok: false, error: 'HTTP 502' },
          { provider: 'CASHFREE', ok: true },
        ],
      },
    });

    rzp.mode = 'hang';
    const started = Date.now();
    const hung = await order(t.ownerToken, { studentId, amount: 10_000, idempotencyKey: key() });
    expect(hung.errors).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hung.data.createPaymentOrder.routing.attempts).toMatchObject([
      { provider: 'RAZORPAY', ok: false, error: 'timed out' },
      { provider: 'CASHFREE', ok: true },
    ]);

    cf.mode = 'fail';
    const none = await order(t.ownerToken, { studentId, amount: 10_000, idempotencyKey: 'all-down-0001' });
    expect(none.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const doc = await tenantDb(t).collection('payment_orders').findOne({ idempotencyKey: 'all-down-0001' });
    expect(doc).toMatchObject({ status: 'failed', routing: { reason: 'failover' } });
    expect(doc!.routing.attempts).toHaveLength(2);
  });

  it('creates one order per idempotency key, even when the same request races', async () => {
    const { t, studentId } = await setup('gw-idem');
    const k = key();
    const raced = await Promise.all([1, 2, 3].map(() => order(t.ownerToken, { studentId, amount: 10_000, idempotencyKey: k })));
    for (const r of raced) expect(r.errors).toBeUndefined();
    expect(new Set(raced.map((r) => r.data.createPaymentOrder.id)).size).toBe(1);
    expect(rzp.requests).toHaveLength(1);
    expect(await count(t, 'payment_orders')).toBe(1);
    const reused = await order(t.ownerToken, { studentId, amount: 20_000, idempotencyKey: k });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
  });
});

/** Helper: a Mongo `$in` through the raw driver (sanitizeFilter applies to mongoose only). */
function trusted(...ids: string[]) {
  return { $in: ids.map((id) => new Types.ObjectId(id)) };
}

describe('Razorpay checkout verification and webhooks', () => {
  it('verifies the checkout signature, records the payment once and marks the order PAID', async () => {
    const { t, studentId } = await setup('gw-verify');
    const o = (await sys.ok(ORDER, { i: { studentId, amount: 10_000, idempotencyKey: key() } }, { token: t.ownerToken })).createPaymentOrder;

    const bad = await sys.gql(
      VERIFY,
      { i: { orderId: o.id, razorpayPaymentId: 'pay_ABC123', razorpaySignature: checkoutSig(o.providerOrderId, 'pay_ABC123', 'wrong-secret') } },
      { token: t.ownerToken },
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'razorpaySignature' });
    // Signed for another payment id: also refused.
    const swapped = await sys.gql(
      VERIFY,
      { i: { orderId: o.id, razorpayPaymentId: 'pay_OTHER1', razorpaySignature: checkoutSig(o.providerOrderId, 'pay_ABC123') } },
      { token: t.ownerToken },
    );
    expect(swapped.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count(t, 'payments')).toBe(0);
    expect((await sys.ok(ORDER_BY_ID, { id: o.id }, { token: t.ownerToken })).paymentOrder.status).toBe('CREATED');

    const good = { orderId: o.id, razorpayPaymentId: 'pay_ABC123', razorpaySignature: checkoutSig(o.providerOrderId, 'pay_ABC123') };
    const [a, b] = await Promise.all([sys.gql(VERIFY, { i: good }, { token: t.ownerToken }), sys.gql(VERIFY, { i: good }, { token: t.ownerToken })]);
    expect(a.errors).toBeUndefined();
    expect(a.data.verifyRazorpayPayment).toMatchObject({
      amount: 10_000,
      method: 'ONLINE',
      status: 'PAID',
      provider: 'razorpay',
      providerPaymentId: 'pay_ABC123',
    });
    expect(b.data.verifyRazorpayPayment.id).toBe(a.data.verifyRazorpayPayment.id);
    expect(await count(t, 'payments')).toBe(1);
    expect((await sys.ok(ORDER_BY_ID, { id: o.id }, { token: t.ownerToken })).paymentOrder).toEqual({
      status: 'PAID',
      payment: { id: a.data.verifyRazorpayPayment.id, amount: 10_000 },
    });

    // The webhook for the same payment arrives later: still one payment.
    const res = await razorpayWebhook(captured('pay_ABC123', o.providerOrderId, 10_000), { eventId: 'evt_verify_1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'duplicate' });
    expect(await count(t, 'payments')).toBe(1);
  });

  it('records ONE payment when the same webhook arrives 5× concurrently, again, or with other events', async () => {
    const { t, studentId } = await setup('gw-rzp-hook');
    const o = (await sys.ok(ORDER, { i: { studentId, amount: 10_000, idempotencyKey: key() } }, { token: t.ownerToken })).createPaymentOrder;
    const body = captured('pay_HOOK0001', o.providerOrderId, 10_000);

    const five = await Promise.all([1, 2, 3, 4, 5].map(() => razorpayWebhook(body, { eventId: 'evt_hook_1' })));
    expect(five.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const statuses = (await Promise.all(five.map((r) => r.json()))) as { status: string }[];
    expect(statuses.filter((s) => s.status === 'recorded')).toHaveLength(1);
    expect(await count(t, 'payments')).toBe(1);
    const payment = await tenantDb(t).collection('payments').findOne({});
    expect(payment).toMatchObject({ amount: 10_000, method: 'upi', provider: 'razorpay', providerPaymentId: 'pay_HOOK0001', status: 'paid' });
    expect(payment!.invoice.number).toMatch(/000001$/);

    // Redelivery under a new event id (e.g. order.paid) and an out-of-order, unrelated event.
    expect((await razorpayWebhook(captured('pay_HOOK0001', o.providerOrderId, 10_000, 'order.paid'), { eventId: 'evt_hook_2' })).status).toBe(200);
    expect((await razorpayWebhook(captured('pay_HOOK0001', o.providerOrderId, 10_000, 'payment.authorized'), { eventId: 'evt_hook_0' })).status).toBe(200);
    expect((await razorpayWebhook(body, { eventId: 'evt_hook_1' })).status).toBe(200);
    expect(await count(t, 'payments')).toBe(1);
    expect((await sys.ok(ORDER_BY_ID, { id: o.id }, { token: t.ownerToken })).paymentOrder.status).toBe('PAID');
    // The next desk payment still gets the next invoice number (no number lost to the races).
    const next = await sys.ok(
      `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { invoice { number } } }`,
      { i: { studentId, amount: 100, method: 'CASH' } },
      { token: t.ownerToken },
    );
    expect(next.recordPayment.invoice.number).toMatch(/000002$/);
    // The captured money reached the student's dues ledger once (no charges yet: advance credit), like the desk payment.
    const dues = `query($s: ID!) { student(id: $s) { dues { amountDue advanceCredit } } }`;
    expect((await sys.ok(dues, { s: studentId }, { token: t.ownerToken })).student.dues).toEqual({ amountDue: 0, advanceCredit: 10_100 });
    expect(await tenantDb(t).collection('dues_entries').countDocuments({ op: 'PAYMENT' })).toBe(2);
  });

  it('answers 401 and changes nothing for a bad signature; unknown orders are acknowledged and ignored', async () => {
    const { t, studentId } = await setup('gw-rzp-bad');
    const logFrom = billingLog.length;
    const o = (await sys.ok(ORDER, { i: { studentId, amount: 10_000, idempotencyKey: key() } }, { token: t.ownerToken })).createPaymentOrder;
    const body = captured('pay_BAD00001', o.providerOrderId, 10_000);
    expect((await razorpayWebhook(body, { secret: RZP.keySecret, eventId: 'evt_bad_1' })).status).toBe(401);
    const unsigned = await fetch(webhookUrl('razorpay'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    // Signature over different bytes (re-serialised JSON) must not verify.
    const raw = JSON.stringify(body);
    const sig = createHmac('sha256', RZP.webhookSecret).update(raw).digest('hex');
    const tampered = await fetch(webhookUrl('razorpay'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-razorpay-signature': sig },
      body: raw.replace('10000', '1'),
    });
    expect(tampered.status).toBe(401);
    // Each refusal is logged (provider, whether a signature came), never the body or the signature.
    const rejected = billingLog
      .slice(logFrom)
      .map((l) => JSON.parse(l))
      .filter((e) => e.msg === 'webhook signature rejected' && e.provider === 'razorpay');
    expect(rejected.map((e) => e.hasSignature)).toEqual([true, false, true]);
    expect(billingLog.join('\n')).not.toContain(sig);
    expect(await count(t, 'payments')).toBe(0);
    expect(
      await sys.db
        .platform()
        .collection('payment_webhook_events')
        .countDocuments({ _id: 'razorpay:evt_bad_1' as never }),
    ).toBe(0);

    const unknown = await razorpayWebhook(captured('pay_UNKNOWN1', 'order_doesnotexist', 500), { eventId: 'evt_unknown_1' });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ status: 'unknown-order' });
  });
});

describe('Cashfree webhooks', () => {
  it('records only SUCCESS, once, whatever the order and concurrency of deliveries; bad signature → 401', async () => {
    const { t, studentId } = await setup('gw-cf-hook');
    const o = (await sys.ok(ORDER, { i: { studentId, amount: 100_050, idempotencyKey: key() } }, { token: t.ownerToken })).createPaymentOrder;
    expect(o.provider).toBe('CASHFREE');

    expect((await cashfreeWebhook(cfEvent(o.id, 111, 1000.5, 'FAILED'))).status).toBe(200);
    expect((await cashfreeWebhook(cfEvent(o.id, 222, 1000.5, 'SUCCESS'), { secret: 'wrong' })).status).toBe(401);
    expect((await cashfreeWebhook(cfEvent(o.id, 222, 1000.5, 'SUCCESS'), { tamper: true })).status).toBe(401);
    expect(await count(t, 'payments')).toBe(0);
    expect((await sys.ok(ORDER_BY_ID, { id: o.id }, { token: t.ownerToken })).paymentOrder.status).toBe('CREATED');

    const five = await Promise.all([1, 2, 3, 4, 5].map(() => cashfreeWebhook(cfEvent(o.id, 222, 1000.5, 'SUCCESS'))));
    expect(five.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // A late failure of an earlier attempt changes nothing.
    expect((await cashfreeWebhook(cfEvent(o.id, 111, 1000.5, 'FAILED'))).status).toBe(200);
    expect(await count(t, 'payments')).toBe(1);
    expect(await tenantDb(t).collection('payments').findOne({})).toMatchObject({
      amount: 100_050,
      provider: 'cashfree',
      providerPaymentId: '222',
      method: 'upi',
    });
    expect((await sys.ok(ORDER_BY_ID, { id: o.id }, { token: t.ownerToken })).paymentOrder.status).toBe('PAID');
  });
});

describe('refunds', () => {
  async function cashPayment(t: TestTenant, studentId: string, amount = 1000) {
    return (
      await sys.ok(
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
        { i: { studentId, amount, method: 'CASH' } },
        { token: t.ownerToken },
      )
    ).recordPayment.id as string;
  }

  it('refunds partially then fully, refuses over-refunds and replays a key', async () => {
    const { t, studentId } = await setup('gw-refund');
    const paymentId = await cashPayment(t, studentId);
    const k = key();
    const part = await refund(t.ownerToken, { paymentId, amount: 300, reason: 'left early', idempotencyKey: k });
    expect(part.errors).toBeUndefined();
    expect(part.data.refundPayment).toMatchObject({
      amount: 300,
      refundedAfter: 300,
      status: 'PROCESSED',
      provider: null,
      payment: { id: paymentId, status: 'PARTIALLY_REFUNDED', refundedAmount: 300 },
    });
    const again = await refund(t.ownerToken, { paymentId, amount: 300, reason: 'left early', idempotencyKey: k });
    expect(again.data.refundPayment.id).toBe(part.data.refundPayment.id);
    const otherUse = await refund(t.ownerToken, { paymentId, amount: 200, reason: 'left early', idempotencyKey: k });
    expect(otherUse.errors?.[0].extensions?.code).toBe('CONFLICT');

    const over = await refund(t.ownerToken, { paymentId, amount: 701, reason: 'too much', idempotencyKey: key() });
    expect(over.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    const rest = await refund(t.ownerToken, { paymentId, reason: 'the rest', idempotencyKey: key() });
    expect(rest.data.refundPayment).toMatchObject({ amount: 700, refundedAfter: 1000, payment: { status: 'REFUNDED', refundedAmount: 1000 } });
    const more = await refund(t.ownerToken, { paymentId, amount: 1, reason: 'again', idempotencyKey: key() });
    expect(more.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await count(t, 'payment_refunds')).toBe(2);
  });

  it('never refunds more than paid under 8 concurrent refunds', async () => {
    const { t, studentId } = await setup('gw-refund-race');
    const paymentId = await cashPayment(t, studentId, 1000);
    const results = await Promise.all(Array.from({ length: 8 }, () => refund(t.ownerToken, { paymentId, amount: 300, reason: 'race', idempotencyKey: key() })));
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(3);
    for (const r of results.filter((x) => x.errors)) expect(r.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    const links = await tenantDb(t).collection('payment_refunds').find({}).sort({ seq: 1 }).toArray();
    expect(links.map((l) => l.refundedAfter)).toEqual([300, 600, 900]);
    const p = await sys.ok(`query($id: ID!) { payment(id: $id) { status refundedAmount } }`, { id: paymentId }, { token: t.ownerToken });
    expect(p.payment).toEqual({ status: 'PARTIALLY_REFUNDED', refundedAmount: 900 });
  });

  it('refunds online payments through their gateway; a refused refund is reversed', async () => {
    const { t, studentId } = await setup('gw-refund-online');
    const o = (await sys.ok(ORDER, { i: { studentId, amount: 10_000, idempotencyKey: key() } }, { token: t.ownerToken })).createPaymentOrder;
    const paid = (
      await sys.ok(
        VERIFY,
        { i: { orderId: o.id, razorpayPaymentId: 'pay_REFUND01', razorpaySignature: checkoutSig(o.providerOrderId, 'pay_REFUND01') } },
        { token: t.ownerToken },
      )
    ).verifyRazorpayPayment;

    rzp.refundMode = 'refuse';
    const refused = await refund(t.ownerToken, { paymentId: paid.id, amount: 4000, reason: 'refused', idempotencyKey: key() });
    expect(refused.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const after = await sys.ok(`query($id: ID!) { payment(id: $id) { status refundedAmount } }`, { id: paid.id }, { token: t.ownerToken });
    expect(after.payment).toEqual({ status: 'PAID', refundedAmount: 0 });
    expect(await count(t, 'payment_refunds', { paymentId: new Types.ObjectId(paid.id), status: 'failed' })).toBe(1);

    rzp.refundMode = 'ok';
    const done = await refund(t.ownerToken, { paymentId: paid.id, amount: 4000, reason: 'partial', idempotencyKey: key() });
    expect(done.errors).toBeUndefined();
    expect(done.data.refundPayment).toMatchObject({
      amount: 4000,
      refundedAfter: 4000,
      status: 'PROCESSED',
      provider: 'razorpay',
      payment: { status: 'PARTIALLY_REFUNDED' },
    });
    expect(done.data.refundPayment.providerRefundId).toMatch(/^rfnd_/);
    const calls = rzp.requests.filter((r) => r.path.includes('/refund'));
    expect(calls.map((c) => [c.path, c.body.amount])).toEqual([
      ['/v1/payments/pay_REFUND01/refund', 4000],
      ['/v1/payments/pay_REFUND01/refund', 4000],
    ]);

    // Cashfree: refunds by our order id, in rupees.
    const co = (await sys.ok(ORDER, { i: { studentId, amount: 100_000, idempotencyKey: key() } }, { token: t.ownerToken })).createPaymentOrder;
    expect((await cashfreeWebhook(cfEvent(co.id, 9001, 1000, 'SUCCESS'))).status).toBe(200);
    const cfPayment = await tenantDb(t).collection('payments').findOne({ providerPaymentId: '9001' });
    const cfRefund = await refund(t.ownerToken, { paymentId: cfPayment!._id.toHexString(), reason: 'full', idempotencyKey: key() });
    expect(cfRefund.data.refundPayment).toMatchObject({ amount: 100_000, provider: 'cashfree', payment: { status: 'REFUNDED' } });
    expect(cf.requests.at(-1)).toMatchObject({ path: `/pg/orders/${co.id}/refunds`, body: { refund_amount: 1000 } });

    // A 502 may come after the gateway refunded: not reversed, but pending until the gateway is asked again.
    rzp.refundMode = 'fail';
    const unclear = await refund(t.ownerToken, { paymentId: paid.id, amount: 1000, reason: 'gateway down', idempotencyKey: key() });
    expect(unclear.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' }, message: expect.stringContaining('pending') });
    expect(await count(t, 'payment_refunds', { paymentId: new Types.ObjectId(paid.id), status: 'pending', amount: 1000 })).toBe(1);
    expect(await count(t, 'payment_refunds', { paymentId: new Types.ObjectId(paid.id), status: 'reversal' })).toBe(1);
  });
});

/** A ₹100 payment made through a Razorpay order and checkout (its id `payId`). */
async function paidOnline(t: TestTenant, studentId: string, payId: string) {
  const o = { token: t.ownerToken };
  const ord = (await sys.ok(ORDER, { i: { studentId, amount: 10_000, idempotencyKey: key() } }, o)).createPaymentOrder;
  return (await sys.ok(VERIFY, { i: { orderId: ord.id, razorpayPaymentId: payId, razorpaySignature: checkoutSig(ord.providerOrderId, payId) } }, o))
    .verifyRazorpayPayment;
}

describe('refunds whose answer never came', () => {
  it('stay PENDING, then reconciliation asks the gateway: refunded → PROCESSED and out of the dues; never received → FAILED and reversed; once', async () => {
    const { t, studentId } = await setup('gw-refund-lost');
    const o = { token: t.ownerToken };
    const paid = await paidOnline(t, studentId, 'pay_LOST01');
    // Razorpay refunds the first but its answer is lost; the second never reaches it.
    rzp.refundMode = 'lost';
    const lost = await refund(t.ownerToken, { paymentId: paid.id, amount: 4000, reason: 'answer lost', idempotencyKey: key() });
    expect(lost.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    rzp.refundMode = 'hang';
    const never = await refund(t.ownerToken, { paymentId: paid.id, amount: 1000, reason: 'never sent', idempotencyKey: key() });
    expect(never.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    // Cashfree: refunded, answer lost.
    cf.refundMode = 'lost';
    const co = (await sys.ok(ORDER, { i: { studentId, amount: 100_000, idempotencyKey: key() } }, o)).createPaymentOrder;
    expect((await cashfreeWebhook(cfEvent(co.id, 9101, 1000, 'SUCCESS'))).status).toBe(200);
    const cfPayment = (await tenantDb(t).collection('payments').findOne({ providerPaymentId: '9101' }))!;
    const cfLost = await refund(t.ownerToken, { paymentId: cfPayment._id.toHexString(), amount: 30_000, reason: 'answer lost', idempotencyKey: key() });
    expect(cfLost.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');

    const conn = tenantDb(t);
    expect((await conn.collection('payment_refunds').find({ status: 'pending' }).toArray()).map((r) => r.amount).sort()).toEqual([1000, 30_000, 4000].sort());
    expect(await count(t, 'dues_entries', { op: 'REFUND' })).toBe(0);
    // The tenant is marked for the reconcile job, two minutes on.
    const mark = await sys.db
      .platform()
      .collection('refund_due')
      .findOne({ _id: { $regex: `^${t.id}:` } } as never);
    expect(Number(String(mark!._id).split(':')[1])).toBeGreaterThan(Date.now() + 60_000);

    const gateways = paymentServices({ razorpay: { baseUrl: rzp.url, ...RZP }, cashfree: { baseUrl: cf.url, ...CF }, timeoutMs: 500 });
    rzp.refundMode = cf.refundMode = undefined;
    const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
    const silent = pino({ level: 'silent' });
    // Too early: a refund left pending a moment ago is not asked about yet (the job, every
    // 100 ms, has not touched them either).
    expect(await reconcileRefunds(conn, gateways, new Date(), today, silent)).toEqual({ processed: 0, failed: 0, pending: 0, finished: 0 });
    expect(await count(t, 'payment_refunds', { status: 'pending' })).toBe(3);
    const pendingAmounts = async () => (await conn.collection('payment_refunds').find({ status: 'pending' }).toArray()).map((r) => r.amount);
    try {
      // The mark comes due: the job asks the gateways. Refunded there: settled. Never
      // received: not failed on one early "not found", and marked again.
      skewMs = RECHECK_MS + 1_000;
      expect(await until(pendingAmounts, (a) => a.length === 1, 'the job settles the refunds the gateways made', 10_000)).toEqual([1000]);
      // The pass has re-marked the tenant (15 minutes on) before the clock moves again: a
      // mark written after the jump would be 15 minutes past it.
      const marks = () =>
        sys.db
          .platform()
          .collection<{ _id: string; at: Date }>('refund_due')
          .find({ _id: { $regex: `^${t.id}:` } } as never)
          .toArray();
      const remarked = await until(marks, (m) => m.length === 1 && m[0].at.getTime() > Date.now() + skewMs, 'the tenant marked again', 10_000);
      expect(remarked[0].at.getTime()).toBeLessThanOrEqual(Date.now() + RECHECK_MS + 1_000 + RETRY_MS);
      // Still absent half an hour on: FAILED, and its amount given back.
      skewMs = ABSENT_FAIL_MS + 60_000;
      await until(pendingAmounts, (a) => a.length === 0, 'the job fails the refund the gateway never received', 10_000);
      // Its pass has ended (its effects written, nothing left to mark) before anything is read.
      await until(marks, (m) => m.length === 0, 'the pass settled', 10_000);
    } finally {
      skewMs = 0;
    }
    const muchLater = new Date(Date.now() + ABSENT_FAIL_MS + 60_000);
    const byAmount = Object.fromEntries(
      (
        await conn
          .collection('payment_refunds')
          .find({ status: { $ne: 'reversal' } })
          .toArray()
      ).map((r) => [r.amount, r.status]),
    );
    expect(byAmount).toEqual({ 4000: 'processed', 1000: 'failed', 30000: 'processed' });
    const rzpPayment = await sys.ok(`query($id: ID!) { payment(id: $id) { status refundedAmount } }`, { id: paid.id }, o);
    expect(rzpPayment.payment).toEqual({ status: 'PARTIALLY_REFUNDED', refundedAmount: 4000 });
    expect(await count(t, 'dues_entries', { op: 'REFUND' })).toBe(2);
    // Again (a second reconciler, a repeated run): nothing more.
    expect(await reconcileRefunds(conn, gateways, muchLater, today, silent)).toEqual({ processed: 0, failed: 0, pending: 0, finished: 0 });
    expect(await count(t, 'dues_entries', { op: 'REFUND' })).toBe(2);
    expect(await count(t, 'payment_refunds', { status: 'reversal' })).toBe(1);
    expect(await count(t, 'payment_refunds', { settling: true })).toBe(0);
    // The failed amount is refundable again.
    const rest = await refund(t.ownerToken, { paymentId: paid.id, reason: 'the rest', idempotencyKey: key() });
    expect(rest.data.refundPayment).toMatchObject({ amount: 6000, status: 'PROCESSED', payment: { status: 'REFUNDED', refundedAmount: 10_000 } });
  });

  it('finish a refund whose outcome was written but not its effects (a crash in between), once: from the reconciler, or from a retry', async () => {
    const { t, studentId } = await setup('gw-refund-crash');
    const o = { token: t.ownerToken };
    const paid = await paidOnline(t, studentId, 'pay_CRASH01');
    rzp.refundMode = 'lost';
    const kFailed = key();
    const kDone = key();
    expect((await refund(t.ownerToken, { paymentId: paid.id, amount: 3000, reason: 'to fail', idempotencyKey: kFailed })).errors?.[0].extensions?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    expect((await refund(t.ownerToken, { paymentId: paid.id, amount: 2000, reason: 'to process', idempotencyKey: kDone })).errors?.[0].extensions?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    rzp.refundMode = undefined;
    const conn = tenantDb(t);
    // What a process that died right after writing each outcome leaves: the status, and nothing of what follows it.
    await conn.collection('payment_refunds').updateOne({ key: kFailed }, { $set: { status: 'failed' } });
    await conn.collection('payment_refunds').updateOne({ key: kDone }, { $set: { status: 'processed', providerRefundId: 'rfnd_CRASH' } });
    expect(await count(t, 'payment_refunds', { status: 'reversal' })).toBe(0);
    expect(await count(t, 'dues_entries', { op: 'REFUND' })).toBe(0);

    // The client retries the processed one with its key: its dues entry is written, and the answer is the refund.
    const retried = await refund(t.ownerToken, { paymentId: paid.id, amount: 2000, reason: 'to process', idempotencyKey: kDone });
    expect(retried.data.refundPayment).toMatchObject({ amount: 2000, status: 'PROCESSED' });
    expect(await count(t, 'dues_entries', { op: 'REFUND' })).toBe(1);
    expect(await count(t, 'payment_refunds', { key: kDone, settling: true })).toBe(0);

    // The reconciler finishes the failed one without asking the gateway: its reversal, the payment's copy.
    const gateways = paymentServices({ razorpay: { baseUrl: rzp.url, ...RZP }, cashfree: { baseUrl: cf.url, ...CF }, timeoutMs: 500 });
    const later = new Date(Date.now() + RECHECK_MS + 1_000);
    const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
    const silent = pino({ level: 'silent' });
    rzp.requests.length = 0;
    // A refund that cannot be settled (its payment is gone) is skipped, and does not stop the others.
    const orphan = `${new Types.ObjectId().toHexString()}:1`;
    await conn.collection<Record<string, unknown> & { _id: string }>('payment_refunds').insertOne({
      _id: orphan,
      key: `orphan-${orphan}`,
      paymentId: new Types.ObjectId(),
      seq: 1,
      amount: 500,
      refundedAfter: 500,
      reason: 'orphan',
      status: 'failed',
      settling: true,
      createdAt: new Date(Date.now() - RECHECK_MS),
      updatedAt: new Date(),
    });
    expect(await reconcileRefunds(conn, gateways, later, today, silent)).toEqual({ processed: 0, failed: 0, pending: 1, finished: 1 });
    await conn.collection<{ _id: string }>('payment_refunds').deleteOne({ _id: orphan });
    expect(rzp.requests).toEqual([]);
    expect(await count(t, 'payment_refunds', { status: 'reversal' })).toBe(1);
    const payment = await sys.ok(`query($id: ID!) { payment(id: $id) { status refundedAmount } }`, { id: paid.id }, o);
    expect(payment.payment).toEqual({ status: 'PARTIALLY_REFUNDED', refundedAmount: 2000 });
    // Again, and a retry of the failed one: nothing more.
    expect(await reconcileRefunds(conn, gateways, later, today, silent)).toEqual({ processed: 0, failed: 0, pending: 0, finished: 0 });
    const again = await refund(t.ownerToken, { paymentId: paid.id, amount: 3000, reason: 'to fail', idempotencyKey: kFailed });
    expect(again.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(await count(t, 'payment_refunds', { status: 'reversal' })).toBe(1);
    expect(await count(t, 'dues_entries', { op: 'REFUND' })).toBe(1);
    expect(await count(t, 'payment_refunds', { settling: true })).toBe(0);
  });
});

describe('permissions, bad input and isolation', () => {
  it('lets managers create orders but not refund; staff can do neither', async () => {
    const { t, studentId } = await setup('gw-perm');
    const manager = await sys.userToken(t, 'manager');
    const staff = await sys.userToken(t, 'staff');
    expect((await order(manager, { studentId, amount: 10_000, idempotencyKey: key() })).errors).toBeUndefined();
    expect((await order(staff, { studentId, amount: 10_000, idempotencyKey: key() })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const paymentId = (
      await sys.ok(
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
        { i: { studentId, amount: 1000, method: 'CASH' } },
        { token: manager },
      )
    ).recordPayment.id;
    expect((await refund(manager, { paymentId, amount: 100, reason: 'nope', idempotencyKey: key() })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await refund(staff, { paymentId, amount: 100, reason: 'nope', idempotencyKey: key() })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await count(t, 'payment_refunds')).toBe(0);
    expect(await count(t, 'payment_orders')).toBe(1);
  });

  it('rejects bad input and writes nothing', async () => {
    const { t, studentId } = await setup('gw-bad');
    const orderCases: [Record<string, unknown>, string][] = [
      [{ studentId, amount: 99, idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 10.5, idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 10_000, idempotencyKey: 'short' }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 10_000, purpose: 'x'.repeat(101), idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ studentId: 'nope', amount: 10_000, idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ studentId: new Types.ObjectId().toHexString(), amount: 10_000, idempotencyKey: key() }, 'NOT_FOUND'],
    ];
    for (const [i, code] of orderCases) expect({ i, code: (await order(t.ownerToken, i)).errors?.[0].extensions?.code }).toEqual({ i, code });
    const paymentId = (
      await sys.ok(
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
        { i: { studentId, amount: 1000, method: 'CASH' } },
        { token: t.ownerToken },
      )
    ).recordPayment.id;
    const refundCases: [Record<string, unknown>, string][] = [
      [{ paymentId, amount: 0, reason: 'zero', idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ paymentId, amount: -5, reason: 'neg', idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ paymentId, amount: 5, reason: '', idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ paymentId: 'zzz', amount: 5, reason: 'bad id', idempotencyKey: key() }, 'BAD_USER_INPUT'],
      [{ paymentId: new Types.ObjectId().toHexString(), amount: 5, reason: 'missing', idempotencyKey: key() }, 'NOT_FOUND'],
    ];
    for (const [i, code] of refundCases) expect({ i, code: (await refund(t.ownerToken, i)).errors?.[0].extensions?.code }).toEqual({ i, code });
    const verify = await sys.gql(
      VERIFY,
      { i: { orderId: new Types.ObjectId().toHexString(), razorpayPaymentId: 'not a payment', razorpaySignature: 'x' } },
      { token: t.ownerToken },
    );
    expect(verify.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count(t, 'payment_orders')).toBe(0);
    expect(await count(t, 'payment_refunds')).toBe(0);
    expect(rzp.requests.length + cf.requests.length).toBe(0);
  });

  it("isolates tenants: B cannot verify A's order or refund A's payment", async () => {
    const a = await setup('gw-iso-a');
    const b = await setup('gw-iso-b');
    const o = (await sys.ok(ORDER, { i: { studentId: a.studentId, amount: 10_000, idempotencyKey: key() } }, { token: a.t.ownerToken })).createPaymentOrder;
    const verify = await sys.gql(
      VERIFY,
      { i: { orderId: o.id, razorpayPaymentId: 'pay_ISO00001', razorpaySignature: checkoutSig(o.providerOrderId, 'pay_ISO00001') } },
      { token: b.t.ownerToken },
    );
    expect(verify.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await sys.gql(ORDER_BY_ID, { id: o.id }, { token: b.t.ownerToken })).data?.paymentOrder).toBeNull();
    const paid = (
      await sys.ok(
        VERIFY,
        { i: { orderId: o.id, razorpayPaymentId: 'pay_ISO00001', razorpaySignature: checkoutSig(o.providerOrderId, 'pay_ISO00001') } },
        { token: a.t.ownerToken },
      )
    ).verifyRazorpayPayment;
    const r = await refund(b.t.ownerToken, { paymentId: paid.id, amount: 100, reason: 'steal', idempotencyKey: key() });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await count(a.t, 'payment_refunds')).toBe(0);
    expect(await count(b.t, 'payment_refunds')).toBe(0);
    expect(await count(b.t, 'payments')).toBe(0);
  });
});
