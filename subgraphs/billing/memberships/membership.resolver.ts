import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { parseId, tryParseId } from '../../../core/ids';
import { assertLibraryInScope, inLibraryScope } from '../../../core/scope/library-scope';
import { libraryScopeFilter } from '../../../core/scope/library-scope';
import {
  AssignFeePlanInput, CancelMembershipArgs, ChangeMembershipPlanArgs, FreezeMembershipArgs, MembershipsArgs, RenewMembershipArgs,
} from './membership.input';
import { membershipModel, type MembershipDoc } from './membership.model';
import {
  assignFeePlan, cancelMembership, changeMembershipPlan, freezeMembership, getMembership, renewMembership,
} from './membership.service';
import { Membership } from './membership.type';
import { toMembership } from './membership.view';
import { feePlanModel, toFeePlan, type FeePlanDoc } from './plan.model';
import { FeePlan } from './plan.type';

@Resolver(() => Membership)
export class MembershipResolver {
  @Query(() => Membership, { nullable: true })
  async membership(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return toMembership(await getMembership(ctx, id, 'id'));
  }

  @Query(() => [Membership], { description: 'Memberships, newest start first (your branches only).' })
  async memberships(@Args(() => MembershipsArgs) { libraryId, first }: MembershipsArgs, @Ctx() ctx: RequestContext) {
    const filter: Record<string, unknown> = libraryScopeFilter(ctx);
    if (libraryId) {
      assertLibraryInScope(ctx, parseId(libraryId, 'libraryId'));
      filter.libraryId = libraryId.toLowerCase();
    }
    const docs = await membershipModel(await ctx.tenantDb()).find(filter).sort({ startDate: -1, _id: -1 }).limit(first ?? 50).lean<MembershipDoc[]>();
    return docs.map(toMembership);
  }

  @FieldResolver(() => FeePlan, { nullable: true })
  async plan(@Root() m: Membership, @Ctx() ctx: RequestContext) {
    const doc = await feePlanModel(await ctx.tenantDb()).findById(m.planId).lean<FeePlanDoc>();
    return doc ? toFeePlan(doc) : null;
  }

  @Mutation(() => Membership, { description: 'Puts a student on a fee plan: the first period and the security deposit are charged.' })
  async assignFeePlan(@Arg('input', () => AssignFeePlanInput) input: AssignFeePlanInput, @Ctx() ctx: RequestContext) {
    return toMembership(await assignFeePlan(ctx, input));
  }

  @Mutation(() => Membership, { description: 'Starts the next period (one charge per period, however often asked).' })
  async renewMembership(@Args(() => RenewMembershipArgs) a: RenewMembershipArgs, @Ctx() ctx: RequestContext) {
    return toMembership(await renewMembership(ctx, a.membershipId, a.idempotencyKey));
  }

  @Mutation(() => Membership, { description: 'Upgrade or downgrade from today: unused days are credited, the new plan\'s period is charged.' })
  async changeMembershipPlan(@Args(() => ChangeMembershipPlanArgs) a: ChangeMembershipPlanArgs, @Ctx() ctx: RequestContext) {
    return toMembership(await changeMembershipPlan(ctx, a.membershipId, a.planId, a.idempotencyKey));
  }

  @Mutation(() => Membership, { description: 'Pauses from today for `days`: the end date moves by as many days; nothing is charged meanwhile.' })
  async freezeMembership(@Args(() => FreezeMembershipArgs) a: FreezeMembershipArgs, @Ctx() ctx: RequestContext) {
    return toMembership(await freezeMembership(ctx, a.membershipId, a.days, a.idempotencyKey));
  }

  @Mutation(() => Membership, { description: 'Cancels once: with refund it ends today and credits the unused days; without, it just stops renewing.' })
  async cancelMembership(@Args(() => CancelMembershipArgs) a: CancelMembershipArgs, @Ctx() ctx: RequestContext) {
    return toMembership(await cancelMembership(ctx, a.membershipId, a.refund));
  }
}

/** `_entities`: a membership of the caller's tenant (and branch scope), else null. */
export async function resolveMembershipReference(ref: Record<string, unknown>, ctx: RequestContext) {
  const id = tryParseId(ref.id);
  if (!id) return null;
  const m = await membershipModel(await ctx.tenantDb()).findById(id).lean<MembershipDoc>();
  return m && inLibraryScope(ctx, m.libraryId) ? toMembership(m) : null;
}
