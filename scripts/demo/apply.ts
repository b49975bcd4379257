import type { TenantPlan } from './plan';
import { seedFeatures } from './features';
import { seedFees } from './fees';
import { DEMO_DLT } from './tenants';
import { istDay } from '../../core/tenant-time';

export type Gql = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
type Headers = Record<string, string>;

/** One operation that must succeed: a failing seed should say where, not leave half a tenant silently. */
async function must(gql: Gql, what: string, query: string, variables: Record<string, unknown>, headers: Headers) {
  const res = await gql(query, variables, headers);
  if (res.errors?.length) throw new Error(`demo seed: ${what}: ${res.errors[0].message}`);
  return res.data;
}

/** Today in the demo tenants' time zone (bookings start today). */
const today = (): string => istDay(new Date());

const TEMPLATES = {
  fee: { name: 'Fee reminder', channel: 'SMS', body: 'Hi {#name#}, your fee of {#amount#} for {#month#} is due.', dlt: DEMO_DLT },
  seat: {
    name: 'Seat confirmed',
    channel: 'WHATSAPP',
    body: 'Hi {#name#}, seat {#seat#} is yours. See you at {#library#}!',
    whatsappName: 'seat_confirmed',
    language: 'en',
  },
  report: { name: 'Monthly report', channel: 'EMAIL', body: 'Dear {#name#}, your attendance report for {#month#} is ready.' },
} as const;

/**
 * Creates one demo tenant through the public API as a real client would (same
 * validation, permissions and events). Returns false when the tenant exists (idempotent).
 */
export async function seedTenant(gql: Gql, adminToken: string, password: string, plan: TenantPlan): Promise<boolean> {
  const { tenant: t } = plan;
  const admin = { authorization: `Bearer ${adminToken}` };
  const owner = `owner@${t.slug}.demo`;
  const res = await gql(
    `mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }`,
    {
      i: {
        name: t.name,
        slug: t.slug,
        domain: t.domain,
        plan: 'professional',
        branding: t.branding,
        owner: { email: owner, name: `${t.name} Owner`, password },
      },
    },
    admin,
  );
  if (res.errors?.[0]?.extensions?.code === 'CONFLICT') return false; // already there
  if (res.errors?.length) throw new Error(`demo seed: create tenant ${t.slug}: ${res.errors[0].message}`);
  const tenantId: string = res.data.createTenant.id;
  const login = await must(
    gql,
    'owner login',
    `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`,
    { i: { email: owner, password, tenant: t.slug } },
    {},
  );
  const auth = { authorization: `Bearer ${login.login.accessToken}` };

  // Credits: the platform buys stock from a vendor per channel, then allocates it to the tenant.
  for (const [channel, amount] of Object.entries(t.credits)) {
    const vendor = await must(
      gql,
      `vendor ${channel}`,
      `mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }`,
      { i: { name: `Demo ${channel} vendor (${t.slug})`, channel, costPaisePerCredit: channel === 'EMAIL' ? 2 : 15 } },
      admin,
    );
    await must(
      gql,
      `stock ${channel}`,
      `mutation($v: ID!, $n: Int!, $k: String!) { purchaseCreditsFromVendor(vendorId: $v, credits: $n, idempotencyKey: $k) { id } }`,
      { v: vendor.createVendor.id, n: amount, k: `demo-${t.slug}-stock-${channel}` },
      admin,
    );
    await must(
      gql,
      `allocate ${channel}`,
      `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`,
      { i: { tenantId, channel, amount, idempotencyKey: `demo-${t.slug}-alloc-${channel}` } },
      admin,
    );
  }

  const libraryIds: string[] = [];
  for (const [i, lib] of t.libraries.entries()) {
    const { students: _s, present: _p, shifts = [], ...input } = lib;
    const created = await must(gql, `library ${lib.name}`, `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: input }, auth);
    libraryIds.push(created.createLibrary.id);
    // Listing gives the library its default shifts from its hours; then the tenant's own ones.
    await must(gql, `shifts ${lib.name}`, `query($l: ID!) { shifts(libraryId: $l) { id } }`, { l: created.createLibrary.id }, auth);
    for (const { priced: _priced, ...shift } of shifts) {
      await must(
        gql,
        `shift ${shift.name}`,
        `mutation($i: CreateShiftInput!) { createShift(input: $i) { id } }`,
        { i: { ...shift, libraryId: created.createLibrary.id } },
        auth,
      );
    }
    await must(
      gql,
      `seats ${lib.name}`,
      `mutation($l: ID!, $s: [SeatInput!]!) { configureSeats(libraryId: $l, seats: $s) { number } }`,
      { l: created.createLibrary.id, s: plan.seats[i] },
      auth,
    );
  }

  const templateIds: Record<string, string> = {};
  for (const [key, input] of Object.entries(TEMPLATES)) {
    const tpl = await must(gql, `template ${input.name}`, `mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id status } }`, { i: input }, auth);
    // SMS (DLT) and WhatsApp templates start PENDING until reviewed; the demo reviews them at once.
    if (tpl.createTemplate.status === 'PENDING')
      await must(gql, `approve ${input.name}`, `mutation($id: ID!) { approveTemplate(id: $id) { id } }`, { id: tpl.createTemplate.id }, auth);
    templateIds[key] = tpl.createTemplate.id;
  }

  const date = today();
  const month = new Intl.DateTimeFormat('en-IN', { month: 'long', year: 'numeric', timeZone: 'Asia/Kolkata' }).format(new Date());
  const studentIds: string[] = [];
  // A few students at a time: the content stays the same, only timestamps interleave.
  await inParallel(plan.students, STUDENT_CONCURRENCY, async (s, i) => {
    const lib = t.libraries[s.library]!;
    const st = await must(
      gql,
      `student ${s.name}`,
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name: s.name, phone: s.phone, email: s.email, libraryId: libraryIds[s.library] } },
      auth,
    );
    const studentId: string = st.createStudent.id;
    studentIds[i] = studentId;
    for (const [j, p] of s.payments.entries()) {
      await must(
        gql,
        `payment ${s.name}`,
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
        { i: { studentId, amount: p.amount, method: p.method, idempotencyKey: `demo-${t.slug}-pay-${i}-${j}` } },
        auth,
      );
    }
    if (s.booking) {
      await must(
        gql,
        `booking ${s.name}`,
        `mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }`,
        { i: { studentId, libraryId: libraryIds[s.library], seatNumber: s.booking.seat, date, kind: s.booking.kind, slot: s.booking.slot } },
        auth,
      );
    }
    if (s.present || s.visited) await must(gql, `check-in ${s.name}`, `mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: studentId }, auth);
    if (s.visited) await must(gql, `check-out ${s.name}`, `mutation($s: ID!) { checkOut(studentId: $s) { id } }`, { s: studentId }, auth);
    const first = s.name.split(' ')[0]!;
    const vars: Record<string, Record<string, string>> = {
      seat: { name: first, seat: String(s.booking?.seat ?? ''), library: lib.name },
      fee: { name: first, amount: `Rs ${(s.payments[0]!.amount / 100).toFixed(0)}`, month },
      report: { name: first, month },
    };
    for (const m of s.messages) {
      await must(
        gql,
        `message ${m} to ${s.name}`,
        `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`,
        {
          i: {
            studentId,
            channel: TEMPLATES[m].channel,
            templateId: templateIds[m],
            variables: Object.entries(vars[m]!).map(([name, value]) => ({ name, value })),
          },
        },
        auth,
      );
    }
  });
  await seedFees(plan, { auth, libraryIds, studentIds, must: (what, query, variables, headers) => must(gql, what, query, variables, headers) });
  await seedFeatures(gql, t, {
    auth,
    admin,
    password,
    libraryIds,
    firstStudentId: studentIds[0]!,
    dlt: DEMO_DLT,
    must: (what, query, variables, headers) => must(gql, what, query, variables, headers),
  });
  return true;
}

const STUDENT_CONCURRENCY = 4;

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
