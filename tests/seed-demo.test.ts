import { seedDemo } from '../scripts/seed-demo';
import { planTenant } from '../scripts/demo/plan';
import { planFees } from '../scripts/demo/fees';
import { DEMO_IN_GRACE, REFERRED_STUDENT } from '../scripts/demo/features';
import { DEMO_TENANTS } from '../scripts/demo/tenants';
import { TEST_PASSWORD } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

let sys: SharedSystem;
beforeAll(async () => {
  sys = await sharedSystem();
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

describe('demo plan', () => {
  it('is deterministic per tenant and uses no Math.random', () => {
    const random = jest.spyOn(Math, 'random');
    const plans = DEMO_TENANTS.map(planTenant);
    expect(DEMO_TENANTS.map(planTenant)).toEqual(plans);
    expect(random).not.toHaveBeenCalled();
    random.mockRestore();
    expect(plans.map((p) => p.tenant.name)).toEqual(['Zenith Education', 'Vedic Maths India', 'Math Academy']);
    expect(new Set(plans.map((p) => p.students[0]!.name)).size).toBe(3); // each tenant its own stream
    for (const p of plans) expect(new Set(p.students.map((s) => s.phone)).size).toBe(p.students.length);
  });
});

describe('seedDemo through the gateway', () => {
  it('creates the three clients with every kind of data, and a second run changes nothing', async () => {
    const gql = async (query: string, variables = {}, headers: Record<string, string> = {}) =>
      (
        await fetch(sys.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })
      ).json();
    const random = jest.spyOn(Math, 'random');
    expect(await seedDemo(gql, sys.superToken, TEST_PASSWORD)).toEqual(['zenith', 'vedic-maths', 'math-academy']);
    random.mockRestore();

    const plan = planTenant(DEMO_TENANTS[0]!);
    const token = (await sys.login('owner@zenith.demo', TEST_PASSWORD, 'zenith')).accessToken;
    const data = await sys.ok(
      `{
      tenant { domain branding { displayName primaryColor } }
      libraries { name capacity occupancy { occupied } shifts { name startTime endTime overnight } }
      students(first: 100) { totalCount edges { node { name } } }
      bookings { kind }
      attendance(first: 100) { checkOutAt }
      payments(first: 100) { amount }
      wallet { sms whatsapp email }
      templates { name status }
      messages(first: 100) { status }
      subscription { plan cycle status }
      billingSettings { gstin stateCode }
      users { email role }
    }`,
      {},
      { token },
    );
    expect(data.tenant).toEqual({ domain: 'zenith.edu', branding: { displayName: 'Zenith Education', primaryColor: '#1e40af' } });
    expect(data.libraries.map((l: { name: string }) => l.name).sort()).toEqual(['Zenith Central', 'Zenith North']);
    const present = (lib: number) => plan.students.filter((s) => s.library === lib && s.present).length;
    const occ = Object.fromEntries(data.libraries.map((l: { name: string; occupancy: { occupied: number } }) => [l.name, l.occupancy.occupied]));
    expect(occ).toEqual({ 'Zenith Central': present(0), 'Zenith North': present(1) });
    // Shifts per library: defaults from the opening hours plus the tenant's own (Night owl is priced by fee plans).
    const shifts = Object.fromEntries(data.libraries.map((l: { name: string; shifts: { name: string }[] }) => [l.name, l.shifts.map((x) => x.name)]));
    expect(shifts['Zenith North']).toEqual(['Full day', 'Morning', 'Evening']);
    expect(shifts['Zenith Central'].sort()).toEqual(['Evening', 'Full day', 'Morning', 'Night', 'Night owl']);
    expect(data.libraries.find((l: { name: string }) => l.name === 'Zenith Central').shifts).toContainEqual({
      name: 'Night owl',
      startTime: '20:00',
      endTime: '02:00',
      overnight: true,
    });
    // The planned students plus one brought in by a referral.
    expect(data.students.totalCount).toBe(plan.students.length + 1);
    expect(data.students.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual(
      [...plan.students.map((s) => s.name), REFERRED_STUDENT.name].sort(),
    );
    expect(data.bookings).toHaveLength(plan.students.filter((s) => s.booking).length);
    expect(data.attendance).toHaveLength(plan.students.filter((s) => s.present || s.visited).length);
    expect(data.payments).toHaveLength(plan.students.reduce((n, s) => n + s.payments.length, 0) + 1);
    expect(data.templates.map((t: { status: string }) => t.status)).toEqual(['APPROVED', 'APPROVED', 'APPROVED', 'APPROVED']);
    expect(data.subscription).toEqual({ plan: 'PROFESSIONAL', cycle: 'ANNUAL', status: 'ACTIVE' });
    // One client is in its grace period with an unpaid renewal invoice, reminded, not (yet) suspended.
    const grace = (
      await sys.ok(
        `{ saasAccount { amountOwed dunningStep suspended subscription { status } invoices { kind status amount } } }`,
        {},
        { token: sys.superToken, tenant: DEMO_IN_GRACE },
      )
    ).saasAccount;
    expect(grace).toEqual({
      amountOwed: 249_900,
      dunningStep: 'OVERDUE',
      suspended: false,
      subscription: { status: 'PAST_DUE' },
      invoices: [{ kind: 'RENEWAL', status: 'OPEN', amount: 249_900 }],
    });
    const graceOwner = (await sys.login(`owner@${DEMO_IN_GRACE}.demo`, TEST_PASSWORD, DEMO_IN_GRACE)).accessToken;
    let reminders: { type: string }[] = [];
    for (let i = 0; i < 40 && reminders.length < 2; i++) {
      reminders = (await sys.ok(`{ notifications { type } }`, {}, { token: graceOwner })).notifications.filter(
        (x: { type: string }) => x.type === 'SAAS_PAYMENT_DUE',
      );
      if (reminders.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    // The renewal invoice was issued and is overdue: one reminder per step.
    expect(reminders).toHaveLength(2);
    expect(data.billingSettings).toEqual({ gstin: '27ABCDE1234F1Z5', stateCode: '27' });
    expect(data.users).toContainEqual({ email: 'manager@zenith.demo', role: 'manager' });
    // Fees (#13): two plans per library, every planned student on a membership, the owing ones in pendingDues with amounts.
    const fees = await sys.ok(
      `query($l: ID!) { feePlans(libraryId: $l) { name price } memberships(first: 200) { status }
      pendingDues(first: 200) { student { name } amountDue overdueSince daysOverdue } }`,
      { l: (await sys.ok(`{ libraries { id } }`, {}, { token })).libraries[0].id },
      { token },
    );
    expect(fees.feePlans.map((p: { name: string }) => p.name)).toEqual(['Monthly, full day', 'Quarterly, any seat']);
    expect(fees.memberships).toHaveLength(plan.students.length);
    const fee = plan.students[0]!.payments[0]!.amount;
    const owing = planFees(plan)
      .map((m, i) => ({ ...m, name: plan.students[i]!.name }))
      .filter((m) => m.owing > 0);
    expect(owing.length).toBeGreaterThan(0);
    const due = new Map(fees.pendingDues.map((d: { student: { name: string }; amountDue: number; overdueSince: string | null }) => [d.student.name, d]));
    for (const m of owing) {
      expect(due.get(m.name)).toMatchObject({ amountDue: expect.any(Number), overdueSince: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      expect((due.get(m.name) as { amountDue: number }).amountDue).toBeGreaterThanOrEqual(m.owing * fee);
    }
    const amounts = fees.pendingDues.map((d: { amountDue: number }) => d.amountDue);
    expect(amounts).toEqual([...amounts].sort((a: number, b: number) => b - a));
    // The referral converts on the referred student's first payment (an event, so it may take a moment).
    let referrals: { status: string }[] = [];
    for (let i = 0; i < 40 && referrals[0]?.status !== 'CONVERTED'; i++) {
      referrals = (await sys.ok(`{ referrals { status } }`, {}, { token })).referrals;
      if (referrals[0]?.status !== 'CONVERTED') await new Promise((r) => setTimeout(r, 100));
    }
    expect(referrals).toEqual([{ status: 'CONVERTED' }]);
    expect(await sys.db.tenant(sys.db.tenantDbName('zenith')).collection('bulk_sends').countDocuments()).toBe(1);
    expect(await sys.db.tenant(sys.db.tenantDbName('zenith')).collection('payment_refunds').countDocuments()).toBe(1);
    // Planned messages plus the automatic ones (welcome, payment receipts).
    expect(data.messages.length).toBeGreaterThanOrEqual(plan.students.reduce((n, s) => n + s.messages.length, 0));
    expect(data.wallet.sms).toBeGreaterThan(0);
    const seats = await sys.ok(
      `query($l: ID!) { seats(libraryId: $l) { label zone } }`,
      { l: (await sys.ok(`{ libraries { id name } }`, {}, { token })).libraries.find((l: { name: string }) => l.name === 'Zenith North').id },
      { token },
    );
    expect(seats.seats[0]).toEqual({ label: 'S1', zone: 'Silent zone' });

    for (const slug of ['vedic-maths', 'math-academy']) {
      const t = (await sys.login(`owner@${slug}.demo`, TEST_PASSWORD, slug)).accessToken;
      const other = await sys.ok(`{ students(first: 1) { totalCount } libraries { id } }`, {}, { token: t });
      const p = planTenant(DEMO_TENANTS.find((x) => x.slug === slug)!);
      expect(other.students.totalCount).toBe(p.students.length + 1);
      expect(other.libraries).toHaveLength(p.tenant.libraries.length);
    }
    expect(await seedDemo(gql, sys.superToken, TEST_PASSWORD)).toEqual([]);
    expect((await sys.ok(`{ students(first: 1) { totalCount } }`, {}, { token })).students.totalCount).toBe(plan.students.length + 1);
  }, 240_000);
});
