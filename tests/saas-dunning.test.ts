import { billingEnv, billingSettings } from '../subgraphs/billing/billing.env';
import { createHmac } from 'node:crypto';
import { loadConfig, loadServiceEnv } from '../core/config';
import type { DomainEvent } from '../core/events';
import { emitEvent } from '../core/events/outbox';
import { DOMAIN_CONSUMERS } from '../subgraphs/events';
import { signPayLink } from '../subgraphs/billing/saas/pay-link.service';
import { startFakeCashfree, startFakeRazorpay, type FakeGateway } from './helpers/fake-gateways';
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from './helpers/fake-messaging';
import { startSystem, TEST_PASSWORD, type GqlResult, type System, type TestTenant } from './helpers/system';
import { sleep } from './helpers/ws';

/**
 * SaaS dunning reaches the owners (#13 item 3): one e-mail per owner and step
 * through the real SMTP path, with the invoice, the amount, the dates and a signed
 * pay link that works without logging in — also for a suspended tenant, whose
 * payment through it reactivates the tenant. Tampered, expired and foreign links
 * are refused and change nothing.
 */
const RZP = { keyId: 'rzp_platform_key', keySecret: 'rzp-platform-secret-000', webhookSecret: 'rzp-platform-webhook-000' };
const CF = { clientId: 'cf-platform-id', clientSecret: 'cf-platform-secret-000' };
const DAY = 24 * 3600 * 1000;

/** The cycle's timing these tests assume (billing.env.ts). */
const SETTINGS = billingSettings(loadServiceEnv(billingEnv, { SAAS_GRACE_DAYS: '7', SAAS_RENEWAL_NOTICE_DAYS: '7' }));
let sys: System;
let rzp: FakeGateway;
let cf: FakeGateway;
let smtp: FakeSmtp;
let clock = new Date('2032-05-01T00:00:00Z');

beforeAll(async () => {
  rzp = await startFakeRazorpay(RZP.keyId, RZP.keySecret);
  cf = await startFakeCashfree(CF.clientId, CF.clientSecret);
  smtp = await startFakeSmtp();
  sys = await startSystem(
    {},
    {
      billing: {
        now: () => clock,
        settings: SETTINGS,
        platformGateways: { razorpay: { baseUrl: rzp.url, ...RZP }, cashfree: { baseUrl: cf.url, ...CF }, timeoutMs: 500 },
      },
      messaging: { channels: { email: { host: '127.0.0.1', port: smtp.port, requireTls: false, from: 'StudySpot <no-reply@studyspot.test>' } } },
    },
  );
});
afterAll(async () => {
  await sys?.stop();
  await rzp?.stop();
  await cf?.stop();
  await smtp?.stop();
});

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
const platform = () => sys.db.platform();
const billingUrl = (path: string) => sys.subgraphUrls.billing.replace('/graphql', path);
const CYCLE = 'mutation($at: DateTimeISO) { runSaasBillingCycle(at: $at) { reminders suspended reactivated failed } }';
const cycle = (at: Date) => sys.gql(CYCLE, { at: at.toISOString() }, { token: sys.superToken });
const registry = (t: TestTenant) => platform().collection('tenants').findOne({ slug: t.slug });

async function subscribe(t: TestTenant, k: string): Promise<Doc> {
  return (
    await sys.ok(
      `mutation($k: String!) { subscribe(plan: STARTER, cycle: MONTHLY, idempotencyKey: $k) {
    invoice { id number amount paymentOrder { id provider providerOrderId amount } } } }`,
      { k },
      { token: t.ownerToken },
    )
  ).subscribe.invoice;
}

let paymentN = 5000;
/** The provider reports the platform order paid (signed webhook of the platform account). */
async function pay(order: { provider: string; providerOrderId: string; amount: number }): Promise<void> {
  let res: Response;
  if (order.provider.toUpperCase() === 'RAZORPAY') {
    const raw = JSON.stringify({
      entity: 'event',
      event: 'payment.captured',
      payload: {
        payment: {
          entity: { id: `pay_${++paymentN}`, order_id: order.providerOrderId, amount: order.amount, currency: 'INR', method: 'upi', status: 'captured' },
        },
      },
    });
    res = await fetch(billingUrl('/webhooks/platform/razorpay'), {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-razorpay-event-id': `evt_${paymentN}`,
        'x-razorpay-signature': createHmac('sha256', RZP.webhookSecret).update(raw).digest('hex'),
      },
    });
  } else {
    const raw = JSON.stringify({
      type: 'PAYMENT_SUCCESS_WEBHOOK',
      data: {
        order: { order_id: order.providerOrderId },
        payment: { cf_payment_id: ++paymentN, payment_status: 'SUCCESS', payment_amount: order.amount / 100, payment_group: 'upi' },
      },
    });
    const ts = String(Date.now());
    res = await fetch(billingUrl('/webhooks/platform/cashfree'), {
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
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await sleep(50);
  }
  throw new Error(`never: ${what}`);
}

/** Subject and text of a received mail (quoted-printable decoded, as a mail client shows it). */
function readMail(m: ReceivedMail): { subject: string; text: string } {
  const [head, ...rest] = m.raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjectRaw = /^subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjectRaw.replace(/=\?utf-8\?([QB])\?(.*?)\?=\s*/gi, (_, enc: string, s: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(s, 'base64').toString() : qp(s.replace(/_/g, ' ')),
  );
  let text = rest.join('\n\n');
  if (/content-transfer-encoding: quoted-printable/i.test(unfolded)) text = qp(text.replace(/=\r?\n/g, ''));
  else if (/content-transfer-encoding: base64/i.test(unfolded)) text = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString();
  return { subject, text: text.replace(/\r\n/g, '\n') };
}
const qp = (s: string) =>
  Buffer.from(
    s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email)).map(readMail);
async function dunningMails(email: string, count: number): Promise<{ subject: string; text: string }[]> {
  await until(
    async () => mailsTo(email),
    (x) => x.length >= count,
    `${count} mails to ${email}`,
  );
  await sleep(300); // and no more arrive
  return mailsTo(email);
}
/** The path of the pay link in a mail: /pay/<token>. */
const linkOf = (text: string) => /https?:\/\/\S+(\/pay\/[A-Za-z0-9_.-]+)/.exec(text)![1];
const open = (path: string) => fetch(billingUrl(path), { redirect: 'manual' });
const ordersOf = (t: TestTenant) => platform().collection('platform_payment_orders').countDocuments({ tenantId: t.id });

describe('SaaS dunning e-mails and the pay link', () => {
  let t: TestTenant;
  let other: TestTenant;
  let otherInvoice: Doc;
  const links: string[] = [];
  let invoice: Doc;
  const periodEnd = new Date('2032-06-01T00:00:00Z');

  it('mails every active owner once per step, however often the cycle runs at once or the event is delivered', async () => {
    clock = new Date('2032-05-01T00:00:00Z');
    t = await sys.createTenant('dun-mail');
    // A second owner gets the mails too; a manager does not.
    const owner2 = 'owner2@dun-mail.test';
    await sys.ok(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email: owner2, name: 'Owner Two', password: TEST_PASSWORD, role: 'owner' } },
      { token: t.ownerToken },
    );
    await sys.ok(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email: 'manager@dun-mail.test', name: 'Manager', password: TEST_PASSWORD, role: 'manager' } },
      { token: t.ownerToken },
    );
    await pay((await subscribe(t, 'dunning-sub-1')).paymentOrder);
    await until(
      () => sys.ok(`{ subscription { status } }`, {}, { token: t.ownerToken }),
      (s) => s.subscription?.status === 'ACTIVE',
      'active',
    );

    // ISSUED: two instances at once → one e-mail per owner.
    clock = new Date(periodEnd.getTime() - 5 * DAY);
    const runs = await Promise.all([cycle(clock), cycle(clock)]);
    expect(runs.map(code)).toEqual([undefined, undefined]);
    expect(runs.reduce((s, r) => s + r.data.runSaasBillingCycle.reminders, 0)).toBe(1);
    const issued = await dunningMails(t.ownerEmail, 1);
    expect(issued).toHaveLength(1);
    invoice = (await platform().collection('saas_invoices').findOne({ tenantId: t.id, kind: 'RENEWAL' }))!;
    expect(issued[0].subject).toBe(`Your StudySpot renewal invoice ${invoice.number}`);
    expect(issued[0].text).toContain(`invoice ${invoice.number} for ₹999.00 (GST included) for Tenant dun-mail is due on 2032-06-01`);
    expect(issued[0].text).toContain('no login needed');
    expect(await dunningMails(owner2, 1)).toHaveLength(1);
    links.push(linkOf(issued[0].text));

    // The same step announced twice more, concurrently, as new events (two more deliveries): no second mail.
    const ev = {
      tenantId: t.id,
      invoiceId: invoice._id.toHexString(),
      number: invoice.number,
      step: 'ISSUED',
      dueAt: periodEnd.toISOString(),
      graceEndsAt: new Date(periodEnd.getTime() + 7 * DAY).toISOString(),
      amountDue: 99_900,
      payUrl: `http://x.test${links[0]}`,
    };
    await Promise.all([1, 2].map(() => emitEvent(sys.db.platform(), sys.pubsub, DOMAIN_CONSUMERS, 'saas.dunning', ev as DomainEvent<'saas.dunning'>)));
    expect(await dunningMails(t.ownerEmail, 1)).toHaveLength(1);

    // OVERDUE, then SUSPENDED: one each, with the dates.
    clock = new Date(periodEnd.getTime() + 1 * DAY);
    await Promise.all([cycle(clock), cycle(clock)]);
    const overdue = await dunningMails(t.ownerEmail, 2);
    expect(overdue).toHaveLength(2);
    expect(overdue[1].subject).toBe(`Your StudySpot payment is overdue ${invoice.number}`);
    expect(overdue[1].text).toContain('was due on 2032-06-01 and is unpaid. StudySpot keeps running until 2032-06-08');
    links.push(linkOf(overdue[1].text));

    clock = new Date(periodEnd.getTime() + 8 * DAY);
    await Promise.all([cycle(clock), cycle(clock)]);
    await until(
      () => registry(t),
      (r) => r?.status === 'suspended',
      'suspended',
    );
    const suspended = await dunningMails(t.ownerEmail, 3);
    expect(suspended.map((m) => m.subject)).toEqual([
      `Your StudySpot renewal invoice ${invoice.number}`,
      `Your StudySpot payment is overdue ${invoice.number}`,
      `Your StudySpot account is suspended for an unpaid invoice ${invoice.number}`,
    ]);
    expect(suspended[2].text).toContain('paying the invoice reactivates the account');
    links.push(linkOf(suspended[2].text));
    expect(await dunningMails(owner2, 3)).toHaveLength(3);
    expect(mailsTo('manager@dun-mail.test')).toEqual([]);
    // Again: nothing more.
    await cycle(clock);
    expect(await dunningMails(t.ownerEmail, 3)).toHaveLength(3);
  });

  it("refuses tampered links, links to another tenant's invoice, and unknown invoices — creating nothing", async () => {
    other = await sys.createTenant('dun-other');
    otherInvoice = await subscribe(other, 'dunning-other-1'); // open, unpaid
    const before = [await ordersOf(t), await ordersOf(other)];
    const link = links[2];
    const [payload, sig] = [link.slice(5, link.indexOf('.')), link.slice(link.indexOf('.') + 1)];
    const [tid, , exp] = Buffer.from(payload, 'base64url').toString().split(':');
    const forged = (p: string) => `/pay/${Buffer.from(p).toString('base64url')}.${sig}`;
    // Another invoice, a later expiry, a changed signature, garbage.
    for (const path of [
      forged(`${tid}:${otherInvoice.id}:${exp}`),
      forged(`${other.id}:${otherInvoice.id}:${exp}`),
      forged(`${tid}:${invoice._id.toHexString()}:${Number(exp) + 86400}`),
      `${link.slice(0, -2)}${link.endsWith('00') ? '11' : '00'}`,
      '/pay/nonsense',
      '/pay/a.b.c',
    ]) {
      const res = await open(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(await res.text()).toContain('not valid');
    }
    // Signed right but for a pair that does not exist (this tenant, that invoice): not found, never the other's invoice.
    const cfg = loadConfig('billing', { NODE_ENV: 'test', ACCOUNT_KEYS: 'k1:test-account-key-test-account-key-000' });
    const cross = signPayLink(cfg, SETTINGS.saas, { tenantId: t.id, invoiceId: otherInvoice.id }, clock);
    expect((await open(new URL(cross.url).pathname)).status).toBe(404);
    expect([await ordersOf(t), await ordersOf(other)]).toEqual(before);
    expect((await platform().collection('saas_invoices').findOne({ number: otherInvoice.number }))!.status).toBe('OPEN');
  });

  it("pays a suspended tenant's invoice through the link without a login: the order is reused, the payment reactivates the tenant", async () => {
    expect(
      code(
        await sys.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: t.ownerEmail, password: t.password, tenant: t.slug } }),
      ),
    ).toBe('TENANT_SUSPENDED');
    const before = await ordersOf(t);
    const res = await open(links[2]);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const order = (await platform().collection('platform_payment_orders').findOne({ tenantId: t.id, invoiceId: invoice._id }))!;
    expect(order).toMatchObject({ status: 'created', amount: 99_900 });
    expect(await ordersOf(t)).toBe(before); // the cycle's order of this invoice, reused
    // The page launches the provider's checkout for exactly this order.
    expect(html).toContain(`Pay invoice ${invoice.number}`);
    expect(html).toContain(order.provider === 'razorpay' ? order.checkout.razorpayOrderId : order.checkout.cashfreePaymentSessionId);
    expect(html).toContain(order.provider === 'razorpay' ? 'checkout.razorpay.com' : 'sdk.cashfree.com');
    // Opening it twice: the same order.
    expect((await open(links[2])).status).toBe(200);
    expect(await ordersOf(t)).toBe(before);

    await pay({ provider: order.provider, providerOrderId: order.providerOrderId, amount: order.amount });
    await until(
      () => registry(t),
      (r) => r?.status === 'active',
      'reactivated',
    );
    expect((await platform().collection('saas_invoices').findOne({ _id: invoice._id }))!.status).toBe('PAID');
    await sys.login(t.ownerEmail, t.password, t.slug);
    // Every link of the invoice now says it is paid; nothing is opened again.
    for (const l of links) {
      const again = await open(l);
      expect(again.status).toBe(200);
      expect(await again.text()).toContain('is paid');
    }
    expect(await ordersOf(t)).toBe(before);
  });

  it('refuses an expired link (SAAS_PAY_LINK_TTL_DAYS after its reminder)', async () => {
    const before = await ordersOf(other);
    const cfg = loadConfig('billing', { NODE_ENV: 'test', ACCOUNT_KEYS: 'k1:test-account-key-test-account-key-000' });
    const fresh = new URL(signPayLink(cfg, SETTINGS.saas, { tenantId: other.id, invoiceId: otherInvoice.id }, clock).url).pathname;
    const old = new URL(signPayLink(cfg, SETTINGS.saas, { tenantId: other.id, invoiceId: otherInvoice.id }, new Date(clock.getTime() - 31 * DAY)).url).pathname;
    const expired = await open(old);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
    expect(await ordersOf(other)).toBe(before);
    // The same invoice with a live link of its own tenant opens its checkout.
    expect((await open(fresh)).status).toBe(200);
  });
  it('after a gateway outage the link opens a new order (one, however often opened at once) and the mail still went out', async () => {
    clock = new Date('2032-07-01T00:00:00Z');
    const u = await sys.createTenant('dun-outage');
    await pay((await subscribe(u, 'dunning-outage-1')).paymentOrder);
    await until(
      () => sys.ok(`{ subscription { status periodEnd } }`, {}, { token: u.ownerToken }),
      (s) => s.subscription?.status === 'ACTIVE',
      'active',
    );
    rzp.mode = 'fail';
    cf.mode = 'fail';
    try {
      clock = new Date('2032-07-27T00:00:00Z'); // 5 days before the period ends
      expect((await cycle(clock)).data.runSaasBillingCycle.failed).toBe(0);
      const inv = (await platform().collection('saas_invoices').findOne({ tenantId: u.id, kind: 'RENEWAL' }))!;
      expect(inv.orderId).toBeFalsy();
      const [mail] = await dunningMails(u.ownerEmail, 1);
      expect(mail.text).toContain(`invoice ${inv.number} for ₹999.00`);
      const link = linkOf(mail.text);
      const down = await open(link);
      expect(down.status).toBe(503);
      // The cycle's attempt and the link's, each recorded as failed.
      expect(await platform().collection('platform_payment_orders').countDocuments({ tenantId: u.id, invoiceId: inv._id, status: 'failed' })).toBe(2);
      rzp.mode = 'ok';
      cf.mode = 'ok';
      const pages = await Promise.all([open(link), open(link), open(link)]);
      expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
      const live = await platform().collection('platform_payment_orders').find({ tenantId: u.id, invoiceId: inv._id, status: 'created' }).toArray();
      expect(live).toHaveLength(1);
      expect((await platform().collection('saas_invoices').findOne({ _id: inv._id }))!.orderId).toEqual(live[0]._id);
      await pay({ provider: live[0].provider, providerOrderId: live[0].providerOrderId, amount: live[0].amount });
      await until(
        () => platform().collection('saas_invoices').findOne({ _id: inv._id }),
        (i) => i?.status === 'PAID',
        'paid',
      );
    } finally {
      rzp.mode = 'ok';
      cf.mode = 'ok';
    }
  });
});
