import type { StormTarget } from './storm';

type Gql = (query: string, variables?: Record<string, unknown>, token?: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need

const client =
  (url: string): Gql =>
  async (query, variables = {}, token) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`setup failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };

/** A tenant with a student, and a stocked master wallet, all through the gateway. */
export async function setupChaosData(url: string, email: string, password: string): Promise<StormTarget & { slug: string; gql: Gql }> {
  const gql = client(url);
  const login = (e: string, tenant?: string) =>
    gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: e, password, tenant } }).then((d) => d.login.accessToken as string);
  const superToken = await login(email);
  const slug = 'chaos';
  const t = await gql(
    `mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }`,
    { i: { name: 'Chaos', slug, plan: 'professional', owner: { email: `owner@${slug}.test`, name: 'Owner', password } } },
    superToken,
  );
  const ownerToken = await login(`owner@${slug}.test`, slug);
  const lib = await gql(`mutation { createLibrary(input: { name: "Hall", capacity: 50 }) { id } }`, {}, ownerToken);
  const st = await gql(
    `mutation($l: ID!) { createStudent(input: { name: "Asha", phone: "9876543210", libraryId: $l }) { id } }`,
    { l: lib.createLibrary.id },
    ownerToken,
  );
  const vendor = await gql(`mutation { createVendor(input: { name: "Chaos SMS", channel: SMS, costPaisePerCredit: 10 }) { id } }`, {}, superToken);
  await gql(
    `mutation($v: ID!) { purchaseCreditsFromVendor(vendorId: $v, credits: 1000000, idempotencyKey: "chaos-stock") { id } }`,
    { v: vendor.createVendor.id },
    superToken,
  );
  return { gatewayUrl: url, ownerToken, superToken, tenantId: t.createTenant.id, studentId: st.createStudent.id, slug, gql };
}
