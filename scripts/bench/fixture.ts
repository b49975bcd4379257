import { signAccessToken } from '../../core/auth/tokens';
import type { TenantRole } from '../../core/permissions/catalog';
import { hashPassword } from '../../subgraphs/tenant/auth.service';
import { userModel } from '../../subgraphs/tenant/user.model';
import type { System, TestTenant } from '../../tests/helpers/system';

/** One tenant the subscription benchmark works on: a library, a student, and a viewer token per subscriber. */
export interface BenchTenant {
  tenant: TestTenant;
  libraryId: string;
  /** Unique per tenant: a payload naming another tenant's library is counted as wrong. */
  libraryName: string;
  studentId: string;
  /** One access token per viewer, each a distinct user of the tenant. */
  tokens: string[];
  /** The role of each token's user (printed with the round). */
  roles: TenantRole[];
}

export type OccupancyMutation = 'checkIn' | 'checkOut';

/** Viewers' roles, in a repeating pattern: mostly front-desk staff, some managers and owners. */
const ROLE_PATTERN: TenantRole[] = ['staff', 'staff', 'manager', 'staff', 'owner', 'staff', 'manager', 'staff', 'staff', 'manager'];

/** Access tokens live this long: longer than any round. */
const TOKEN_TTL = 4 * 3600;

/**
 * A tenant (enterprise plan: room for the viewers), its library and one student.
 * Viewers are real users of the tenant: created in its users collection in one
 * insert (one password hash for all; createUser hashes each password, which would
 * take minutes for 10,000 users), then each gets the access token login would
 * issue, signed with the gateway's key.
 */
export async function setUpTenant(sys: System, slug: string, viewers: number, shareToken: boolean): Promise<BenchTenant> {
  const tenant = await sys.createTenant(slug, { plan: 'enterprise' });
  const as = { token: tenant.ownerToken };
  const libraryName = `Bench Hall ${slug}`;
  const lib = await sys.ok('mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }', { i: { name: libraryName, capacity: 100 } }, as);
  const libraryId: string = lib.createLibrary.id;
  const s = await sys.ok(
    'mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }',
    { i: { name: 'Bench Student', phone: '9876543210', libraryId } },
    as,
  );
  if (shareToken) {
    const tokens: string[] = Array(viewers).fill(tenant.ownerToken);
    return { tenant, libraryId, libraryName, studentId: s.createStudent.id, tokens, roles: tokens.map(() => 'owner') };
  }
  const passwordHash = await hashPassword('bench-viewer-password');
  const docs = Array.from({ length: viewers }, (_, i) => ({
    email: `viewer-${i}@${slug}.bench`,
    name: `Viewer ${i}`,
    passwordHash,
    role: ROLE_PATTERN[i % ROLE_PATTERN.length],
    status: 'active',
  }));
  const users = await userModel(sys.db.tenant(sys.db.tenantDbName(slug))).insertMany(docs);
  const roles = users.map((u) => u.role as TenantRole);
  const tokens = users.map((u, i) =>
    signAccessToken({ sub: u._id.toHexString(), role: roles[i], tid: tenant.id, tsl: slug }, sys.config.security.jwtKeys, TOKEN_TTL),
  );
  return { tenant, libraryId, libraryName, studentId: s.createStudent.id, tokens, roles };
}

/** Event k: the tenant's student checks in (even k) or out (odd k); an odd count ends with a check-out. */
export const mutationFor = (k: number): OccupancyMutation => (k % 2 === 0 ? 'checkIn' : 'checkOut');

/** One mutation over HTTP through the gateway, as the tenant owner; throws on any GraphQL error. */
export async function mutate(sys: System, t: BenchTenant, field: OccupancyMutation): Promise<void> {
  await sys.ok(`mutation($s: ID!) { ${field}(studentId: $s) { id } }`, { s: t.studentId }, { token: t.tenant.ownerToken });
}
