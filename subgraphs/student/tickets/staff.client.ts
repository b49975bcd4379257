import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../../core/auth/tokens';
import { createContext } from '../../../core/context';
import { callSubgraph } from '../../../core/internal';
import { SERVICE_ROLE } from '../../../core/permissions/catalog';
import type { StudentContext, StudentDeps } from '../context';

/**
 * Staff of a tenant, from the tenant subgraph (owner of users), asked as the student
 * service: who may be assigned a ticket, and which managers hear of an SLA breach.
 * A service token (role `service`, the tenant's id) so the answer does not depend on
 * whether the caller itself may list users.
 */
export interface StaffMember {
  id: string;
  role: string;
  status: string;
  /** Empty: every library of the tenant. */
  libraryIds: string[];
}

const TOKEN_TTL_SECONDS = 120;

const serviceHeaders = (secret: string, tenant: { id: string; slug: string }, requestId: string) => ({
  authorization: `Bearer ${signAccessToken({ sub: 'service:student', role: SERVICE_ROLE, tid: tenant.id, tsl: tenant.slug }, secret, TOKEN_TTL_SECONDS)}`,
  'x-request-id': requestId,
});

/** The tenant's users, asked on behalf of a request's tenant. */
export async function tenantStaff(ctx: StudentContext): Promise<StaffMember[]> {
  const t = await ctx.tenant();
  const forward = serviceHeaders(ctx.config.jwtSecret, { id: t._id.toHexString(), slug: t.slug }, ctx.requestId);
  return (await callSubgraph<{ users: StaffMember[] }>({ ...ctx, forward }, 'tenant', '{ users { id role status libraryIds } }')).users;
}

/** The same from a background job of one tenant. */
export async function tenantStaffOf(deps: StudentDeps, tenant: { id: string; slug: string }): Promise<StaffMember[]> {
  const ctx = createContext(deps, serviceHeaders(deps.config.jwtSecret, tenant, `sla-${randomUUID()}`));
  return (await callSubgraph<{ users: StaffMember[] }>(ctx, 'tenant', '{ users { id role status libraryIds } }')).users;
}

/** Active and working at this library (an empty library list covers every library). */
export const worksAt = (u: StaffMember, libraryId: string): boolean =>
  u.status === 'active' && ['owner', 'manager', 'staff'].includes(u.role) && (u.libraryIds.length === 0 || u.libraryIds.includes(libraryId));

/** Whom an SLA breach notifies besides the assignee: the library's managers, or the owners when it has none. */
export function breachRecipients(staff: StaffMember[], libraryId: string, assignee: string | null | undefined): string[] {
  const managers = staff.filter((u) => u.role === 'manager' && worksAt(u, libraryId)).map((u) => u.id);
  const chiefs = managers.length ? managers : staff.filter((u) => u.role === 'owner' && u.status === 'active').map((u) => u.id);
  return [...new Set([...(assignee ? [assignee] : []), ...chiefs])];
}
