import { noteBefore } from '../../core/server/audit-plugin';
import type { TenantContext } from './context';
import { AppError, notFound } from '../../core/errors';
import { parseId, tryParseId } from '../../core/ids';
import { can } from '../../core/permissions/catalog';
import { assertLibraryInScope, libraryScopeFilter } from '../../core/scope/library-scope';
import { claimSlot, releaseSlot } from '../../core/tenancy/quota';
import { OPERATIONAL_STATUSES, type CreateLibraryInput, type LibraryFilter, type UpdateLibraryInput } from './library.input';
import { libraryModel, type LibraryDoc } from './library.model';
import { changeLibraryStatus } from './library-status.service';
import { LibraryStatus } from './library.type';

/**
 * Lifecycle: a library created by someone who may approve libraries (owner,
 * platform admin) starts ACTIVE; one created by a manager starts
 * PENDING_APPROVAL until an owner approves or rejects it. SUSPENDED is left
 * only through reactivateLibrary. Every status change goes through
 * library-status.service.ts, so two racing changes cannot both apply.
 */
const TRANSITIONS = {
  approve: { from: [LibraryStatus.PENDING_APPROVAL], to: LibraryStatus.ACTIVE },
  reject: { from: [LibraryStatus.PENDING_APPROVAL], to: LibraryStatus.REJECTED },
  suspend: { from: OPERATIONAL_STATUSES, to: LibraryStatus.SUSPENDED },
  reactivate: { from: [LibraryStatus.SUSPENDED], to: LibraryStatus.ACTIVE },
} as const;
export type LibraryTransition = keyof typeof TRANSITIONS;

const cleanAmenities = (a?: string[]) => (a ? [...new Set(a.map((x) => x.trim().toLowerCase()).filter(Boolean))] : undefined);

export async function createLibrary(ctx: TenantContext, input: CreateLibraryInput) {
  const tenant = await ctx.tenant();
  const conn = await ctx.tenantDb();
  const Library = libraryModel(conn);
  const status = can(ctx.auth!, 'libraries:approve') ? LibraryStatus.ACTIVE : LibraryStatus.PENDING_APPROVAL;
  const slot = await claimSlot(conn, 'tenant_quotas', 'libraries', tenant.limits.maxLibraries, () => Library.countDocuments());
  try {
    const doc = await Library.create({ ...input, amenities: cleanAmenities(input.amenities) ?? [], status });
    return toLibrary(doc.toObject());
  } catch (err) {
    await releaseSlot(conn, 'tenant_quotas', slot);
    throw err;
  }
}

export async function updateLibrary(ctx: TenantContext, id: string, input: UpdateLibraryInput) {
  const _id = parseId(id, 'id');
  assertLibraryInScope(ctx, _id.toHexString());
  const conn = await ctx.tenantDb();
  const Library = libraryModel(conn);
  const { status, ...fields } = input;
  const set: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
  if (input.amenities) set.amenities = cleanAmenities(input.amenities);
  noteBefore(ctx, id, await Library.findById(_id).lean<LibraryDoc>(), [...Object.keys(set), ...(status ? ['status'] : [])]);
  // The status first: if it is refused, nothing else is written either.
  let doc: LibraryDoc | null = null;
  if (status) {
    // An operational status is only set on an approved, unsuspended library.
    doc = await changeLibraryStatus(conn, _id, {
      from: OPERATIONAL_STATUSES,
      to: status,
      reason: null,
      refuse: (current) => new AppError('BAD_USER_INPUT', `Library is ${current}; its status cannot be set to ${status}`, { field: 'input.status' }),
    });
  }
  if (Object.keys(set).length || !doc) doc = await Library.findOneAndUpdate({ _id }, { $set: set }, { returnDocument: 'after' }).lean<LibraryDoc>();
  if (!doc) throw notFound('Library');
  return toLibrary(doc);
}

export async function transitionLibrary(ctx: TenantContext, id: string, action: LibraryTransition, reason?: string) {
  const _id = parseId(id, 'id');
  const { from, to } = TRANSITIONS[action];
  const doc = await changeLibraryStatus(await ctx.tenantDb(), _id, {
    from,
    to,
    reason: reason?.trim() ?? null,
    refuse: (current) => new AppError('BAD_USER_INPUT', `Cannot ${action} a library that is ${current}`, { field: 'id' }),
  });
  return toLibrary(doc);
}

/** The caller's libraries by name (a branch-scoped manager or staff member: their own only), at most 500. */
export async function listLibraries(ctx: TenantContext, filter?: LibraryFilter) {
  const Library = libraryModel(await ctx.tenantDb());
  const query: Record<string, unknown> = libraryScopeFilter(ctx, '_id', tryParseId);
  if (filter?.status) query.status = filter.status;
  if (filter?.city) query.city = filter.city;
  const docs = await Library.find(query).sort({ name: 1 }).limit(500).lean<LibraryDoc[]>();
  return docs.map(toLibrary);
}

export const toLibrary = (d: LibraryDoc) => ({ ...d, amenities: d.amenities ?? [], id: d._id.toHexString() });
