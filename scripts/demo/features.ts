import type { Gql } from './apply';
import type { DemoTenant } from './tenants';

type Headers = Record<string, string>;

/** GST state code of each demo city (the seller's state on invoices). */
const STATE_CODES: Record<string, string> = { Pune: '27', Jaipur: '08', Bengaluru: '29' };

/** The student a demo referral brings in (one per tenant, enrolled with the first student's code). */
export const REFERRED_STUDENT = { name: 'Nikhil Referred', phone: '9000000001' };
export const DEMO_HOLIDAY_TEMPLATE = { name: 'Holiday notice', channel: 'SMS', body: 'Dear student, the library is closed on {#date#}.' } as const;

/** The demo tenant whose SaaS period ended unpaid: in its grace period with an open renewal invoice. */
export const DEMO_IN_GRACE = 'math-academy';
const DAY = 24 * 3600 * 1000;

export interface FeatureContext {
  auth: Headers;
  /** The platform admin's headers (acts on this tenant with x-tenant). */
  admin: Headers;
  password: string;
  libraryIds: string[];
  firstStudentId: string;
  dlt: Record<string, string>;
  must(what: string, query: string, variables: Record<string, unknown>, headers: Headers): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
}

/**
 * The business features beyond the daily data, once per demo tenant: GST seller
 * details, a SaaS subscription, a manager, a referral, a partial refund and a
 * bulk SMS. Every step carries an idempotency key or a unique name.
 */
export async function seedFeatures(_gql: Gql, t: DemoTenant, c: FeatureContext): Promise<void> {
  const { auth, must } = c;
  const state = STATE_CODES[t.libraries[0]!.city] ?? '29';
  await must(
    'billing settings',
    `mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { legalName } }`,
    {
      i: {
        legalName: `${t.name} Pvt Ltd`,
        gstin: `${state}ABCDE1234F1Z5`,
        address: `${t.libraries[0]!.address}, ${t.libraries[0]!.city}`,
        stateCode: state,
        gstRatePercent: 18,
      },
    },
    auth,
  );
  // Clients migrated from the old system bring their paid period; one of them (DEMO_IN_GRACE) did not renew,
  // so the billing cycle finds it past due: renewal invoice issued, owner reminded, grace running.
  const inGrace = t.slug === DEMO_IN_GRACE;
  await must(
    'saas subscription',
    `mutation($c: BillingCycle!, $s: DateTimeISO!, $k: String!) { importSubscription(plan: PROFESSIONAL, cycle: $c, periodStart: $s, idempotencyKey: $k) { amountDue } }`,
    {
      c: inGrace ? 'MONTHLY' : 'ANNUAL',
      s: new Date(Date.now() - (inGrace ? 33 : 0) * DAY).toISOString(),
      k: `demo-${t.slug}-saas`,
    },
    { ...c.admin, 'x-tenant': t.slug },
  );
  if (inGrace) await must('saas billing cycle', `mutation { runSaasBillingCycle { invoicesIssued } }`, {}, c.admin);
  await must(
    'manager',
    `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
    {
      i: { email: `manager@${t.slug}.demo`, name: `${t.name} Manager`, password: c.password, role: 'manager' },
    },
    auth,
  );

  const code = (await must('referral code', `query($s: ID!) { referralCode(studentId: $s) }`, { s: c.firstStudentId }, auth)).referralCode as string;
  const referred = await must(
    'referred student',
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    {
      i: { ...REFERRED_STUDENT, libraryId: c.libraryIds[0], referralCode: code },
    },
    auth,
  );
  // Its first payment converts the referral.
  await must(
    'referred payment',
    `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
    {
      i: { studentId: referred.createStudent.id, amount: 150_000, method: 'UPI', idempotencyKey: `demo-${t.slug}-referred-pay` },
    },
    auth,
  );

  const paid = await must('payments', `query($s: ID!) { student(id: $s) { payments { id amount } } }`, { s: c.firstStudentId }, auth);
  const payment = paid.student.payments[0] as { id: string; amount: number } | undefined;
  if (payment) {
    await must(
      'refund',
      `mutation($i: RefundPaymentInput!) { refundPayment(input: $i) { id } }`,
      {
        i: { paymentId: payment.id, amount: Math.floor(payment.amount / 4), reason: 'Seat unavailable for a week', idempotencyKey: `demo-${t.slug}-refund` },
      },
      auth,
    );
  }

  const tpl = await must(
    'holiday template',
    `mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id status } }`,
    { i: { ...DEMO_HOLIDAY_TEMPLATE, dlt: { ...c.dlt, templateId: '1207160000000054322' } } },
    auth,
  );
  if (tpl.createTemplate.status === 'PENDING')
    await must('approve holiday', `mutation($id: ID!) { approveTemplate(id: $id) { id } }`, { id: tpl.createTemplate.id }, auth);
  await must(
    'bulk send',
    `mutation($i: SendBulkMessageInput!) { sendBulkMessage(input: $i) { id } }`,
    {
      i: {
        channel: 'SMS',
        templateId: tpl.createTemplate.id,
        variables: [{ name: 'date', value: '26 January' }],
        filter: { libraryId: c.libraryIds[0], status: 'ACTIVE' },
        idempotencyKey: `demo-${t.slug}-bulk-holiday`,
      },
    },
    auth,
  );
}
