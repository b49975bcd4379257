import { trusted } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { can } from '../../core/permissions/catalog';
import { claimSlot, releaseSlot } from '../../core/tenancy/quota';
import { OPERATIONAL_STATUSES, type CreateLibraryInput, type UpdateLibraryInput } from './library.input';
import { libraryModel, toLibrary, type LibraryDoc } from './library.model';
import { LibraryStatus } from './library.type';

/**
 * Lifecycle: a library created by someone who may approve libraries (owner,
 * platform admin) starts ACTIVE; one created by a manager starts
 * PENDING_APPROVAL until an owner approves or rejects it. SUSPENDED is left
 * only through reactivateLibrary. Each transition is one conditional update on
 * the current status, so two racing transitions cannot both apply.
 */
const TRANSITIONS = {
  approve: { from: [LibraryStatus.PENDING_APPROVAL], to: LibraryStatus.ACTIVE },
  reject: { from: [LibraryStatus.PENDING_APPROVAL], to: LibraryStatus.REJECTED },
  suspend: { from: OPERATIONAL_STATUSES, to: LibraryStatus.SUSPENDED },
  reactivate: { from: [LibraryStatus.SUSPENDED], to: LibraryStatus.ACTIVE },
} as const;
export type LibraryTransition = keyof typeof TRANSITIONS;

function checkLocation(input: { latitude?: number | null; longitude?: number | null }) {
  if ((input.latitude == null) !== (input.longitude == null)) throw badInput('input.latitude', 'latitude and longitude go together');
}

const cleanAmenities = (a?: string[]) => (a ? [...new Set(a.map((x) => x.trim().toLowerCase()).filter(Boolean))] : undefined);

export async function createLibrary(ctx: RequestContext, input: CreateLibraryInput) {
  checkLocation(input);
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

export async function updateLibrary(ctx: RequestContext, id: string, input: UpdateLibraryInput) {
  const _id = parseId(id, 'id');
  checkLocation(input);
  const Library = libraryModel(await ctx.tenantDb());
  const set: Record<string, unknown> = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
  if (input.amenities) set.amenities = cleanAmenities(input.amenities);
  // An operational status is only set on an approved, unsuspended library.
  const filter = input.status ? { _id, status: trusted({ $in: OPERATIONAL_STATUSES }) } : { _id };
  const doc = await Library.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' }).lean<LibraryDoc>();
  if (doc) return toLibrary(doc);
  const existing = await Library.findById(_id).lean<LibraryDoc>();
  if (!existing) throw notFound('Library');
  throw new AppError('BAD_USER_INPUT', `Library is ${existing.status}; its status cannot be set to ${input.status}`, { field: 'input.status' });
}

export async function transitionLibrary(ctx: RequestContext, id: string, action: LibraryTransition, reason?: string) {
  const _id = parseId(id, 'id');
  if (reason !== undefined && (reason.trim().length < 1 || reason.length > 500)) throw badInput('reason', 'must be 1 to 500 characters');
  const { from, to } = TRANSITIONS[action];
  const Library = libraryModel(await ctx.tenantDb());
  const doc = await Library.findOneAndUpdate(
    { _id, status: trusted({ $in: [...from] }) },
    { $set: { status: to, statusReason: reason?.trim() ?? null } },
    { returnDocument: 'after' },
  ).lean<LibraryDoc>();
  if (doc) return toLibrary(doc);
  const existing = await Library.findById(_id).lean<LibraryDoc>();
  if (!existing) throw notFound('Library');
  throw new AppError('BAD_USER_INPUT', `Cannot ${action} a library that is ${existing.status}`, { field: 'id' });
}
