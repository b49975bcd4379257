/**
 * Demo data created through the public GraphQL API (as a real client would),
 * so it passes the same validation, permissions and limits. Idempotent:
 * a tenant that already exists is left as it is.
 */
export type Gql = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEMO_TENANTS = [
  { slug: 'zenith', name: 'Zenith Education', color: '#1f4e79', libraries: [['Zenith Central', 'Pune', 60], ['Zenith North', 'Pune', 40]] },
  { slug: 'vedic-maths', name: 'Vedic Maths India', color: '#8b3a0f', libraries: [['Vedic Study Hall', 'Jaipur', 30]] },
] as const;

const STUDENTS = ['Aarav Sharma', 'Diya Patel', 'Kabir Singh', 'Ananya Iyer', 'Rohan Gupta', 'Meera Nair'];

export async function seedDemo(gql: Gql, adminToken: string, password: string): Promise<string[]> {
  const created: string[] = [];
  for (const t of DEMO_TENANTS) {
    const owner = `owner@${t.slug}.demo`;
    const res = await gql(
      `mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }`,
      { i: { name: t.name, slug: t.slug, plan: 'professional', branding: { displayName: t.name, primaryColor: t.color }, owner: { email: owner, name: 'Owner', password } } },
      { authorization: `Bearer ${adminToken}` },
    );
    if (res.errors) continue; // already there
    const tenantId = res.data.createTenant.id;
    const login = await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: owner, password, tenant: t.slug } });
    const auth = { authorization: `Bearer ${login.data.login.accessToken}` };
    const libraryIds: string[] = [];
    for (const [name, city, capacity] of t.libraries) {
      const lib = await gql(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, city, capacity } }, auth);
      libraryIds.push(lib.data.createLibrary.id);
    }
    // Allocations draw from the platform master wallet: buy the tenant's share from a demo vendor first.
    const vendor = await gql(
      `mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }`,
      { i: { name: `Demo SMS vendor (${t.slug})`, channel: 'SMS', costPaisePerCredit: 15 } },
      { authorization: `Bearer ${adminToken}` },
    );
    await gql(
      `mutation($v: ID!, $k: String!) { purchaseCreditsFromVendor(vendorId: $v, credits: 500, idempotencyKey: $k) { id } }`,
      { v: vendor.data?.createVendor?.id, k: `demo-${t.slug}-stock` },
      { authorization: `Bearer ${adminToken}` },
    );
    await gql(
      `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`,
      { i: { tenantId, channel: 'SMS', amount: 500, idempotencyKey: `demo-${t.slug}-sms` } },
      { authorization: `Bearer ${adminToken}` },
    );
    for (const [i, name] of STUDENTS.entries()) {
      const st = await gql(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name, phone: `98765${String(43210 + i)}`, libraryId: libraryIds[i % libraryIds.length] } },
        auth,
      );
      const studentId = st.data?.createStudent?.id;
      if (!studentId) continue;
      if (i % 2 === 0) await gql(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: studentId }, auth);
      await gql(
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
        { i: { studentId, amount: 150000, method: i % 2 ? 'UPI' : 'CASH', idempotencyKey: `demo-${t.slug}-${i}` } },
        auth,
      );
      await gql(`mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`, { i: { studentId, channel: 'SMS', body: `Welcome to ${t.name}, ${name}!` } }, auth);
    }
    created.push(t.slug);
  }
  return created;
}
