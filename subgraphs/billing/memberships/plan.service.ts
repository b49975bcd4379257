import type { BillingContext } from '../context';
import { notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope, libraryScopeFilter } from '../../../core/scope/library-scope';
import { requireTenantLibrary } from './library.client';
import type { CreateFeePlanInput, UpdateFeePlanInput } from './plan.input';
import { feePlanModel, type FeePlanDoc, type PlanTerms } from './plan.model';
import { requireShift } from './shift.client';

export async function createFeePlan(ctx: BillingContext, input: CreateFeePlanInput) {
  const libraryId = parseId(input.libraryId, 'input.libraryId');
  assertLibraryInScope(ctx, libraryId);
  await requireTenantLibrary(ctx, libraryId.toHexString());
  if (input.shiftId) {
    parseId(input.shiftId, 'input.shiftId');
    await requireShift(ctx, input.shiftId, libraryId.toHexString());
  }
  const doc = await feePlanModel(await ctx.tenantDb()).create({
    libraryId,
    name: input.name.trim(),
    description: input.description ?? undefined,
    shiftId: input.shiftId ?? undefined,
    duration: input.duration,
    durationDays: input.durationDays ?? undefined,
    price: input.price,
    seatKind: input.seatKind,
    securityDeposit: input.securityDeposit,
    gstApplicable: input.gstApplicable,
    lateFee: input.lateFee || undefined,
    graceDays: input.graceDays,
    createdBy: ctx.auth?.sub,
  });
  return toFeePlan(doc.toObject() as FeePlanDoc);
}

/** The plan in the caller's tenant and branch scope (NOT_FOUND otherwise, so other branches' plans are not revealed). */
export async function getFeePlan(ctx: BillingContext, id: string, field = 'id'): Promise<FeePlanDoc> {
  const plan = await feePlanModel(await ctx.tenantDb())
    .findById(parseId(id, field))
    .lean<FeePlanDoc>();
  if (!plan) throw notFound('Fee plan');
  assertLibraryInScope(ctx, plan.libraryId);
  return plan;
}

export async function listFeePlans(ctx: BillingContext, libraryId: string, includeRetired: boolean) {
  const lib = parseId(libraryId, 'libraryId');
  assertLibraryInScope(ctx, lib);
  return findFeePlans(ctx, includeRetired ? { libraryId: lib } : { libraryId: lib, retiredAt: null });
}

/** Plans matching the filter by name (a library sells a few dozen at most: 500 is a guard, not a page). */
async function findFeePlans(ctx: BillingContext, filter: Record<string, unknown>) {
  const docs = await feePlanModel(await ctx.tenantDb())
    .find(filter)
    .sort({ name: 1, _id: 1 })
    .limit(500)
    .lean<FeePlanDoc[]>();
  return docs.map(toFeePlan);
}

/** The plans sold for one shift, in the caller's branch scope (a shift belongs to one library). */
export async function listFeePlansOfShift(ctx: BillingContext, shiftId: string, includeRetired: boolean) {
  return findFeePlans(ctx, { shiftId, ...(includeRetired ? {} : { retiredAt: null }), ...libraryScopeFilter(ctx) });
}

/** Name and description only: the money terms are sold on and never change. */
export async function updateFeePlan(ctx: BillingContext, id: string, input: UpdateFeePlanInput) {
  const plan = await getFeePlan(ctx, id);
  const set: Partial<FeePlanDoc> = {};
  if (input.name != null) set.name = input.name.trim();
  if (input.description !== undefined) set.description = input.description ?? undefined;
  const doc = await feePlanModel(await ctx.tenantDb())
    .findByIdAndUpdate(plan._id, { $set: set }, { returnDocument: 'after' })
    .lean<FeePlanDoc>();
  return toFeePlan(doc!);
}

/** Retiring is final and idempotent; memberships already sold keep running on their snapshot. */
export async function retireFeePlan(ctx: BillingContext, id: string, at: Date) {
  const plan = await getFeePlan(ctx, id);
  if (plan.retiredAt) return toFeePlan(plan);
  const doc = await feePlanModel(await ctx.tenantDb())
    .findByIdAndUpdate(plan._id, { $set: { retiredAt: at } }, { returnDocument: 'after' })
    .lean<FeePlanDoc>();
  return toFeePlan(doc!);
}

/** A fee plan by id (a membership's plan), or null. */
export async function findFeePlan(ctx: BillingContext, id: unknown) {
  const doc = await feePlanModel(await ctx.tenantDb())
    .findById(id)
    .lean<FeePlanDoc>();
  return doc ? toFeePlan(doc) : null;
}

export const termsOf = (p: PlanTerms): PlanTerms => ({
  duration: p.duration,
  durationDays: p.durationDays ?? undefined,
  price: p.price,
  seatKind: p.seatKind,
  shiftId: p.shiftId ?? undefined,
  securityDeposit: p.securityDeposit,
  gstApplicable: p.gstApplicable,
  lateFee: p.lateFee ?? undefined,
  graceDays: p.graceDays,
});

export const toFeePlan = (d: FeePlanDoc) => ({
  id: d._id.toHexString(),
  libraryId: d.libraryId.toHexString(),
  name: d.name,
  description: d.description ?? undefined,
  ...termsOf(d),
  retired: !!d.retiredAt,
  retiredAt: d.retiredAt ?? undefined,
  createdAt: d.createdAt,
});
