import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import {
  AssignFeePlanInput,
  CancelMembershipArgs,
  ChangeMembershipPlanArgs,
  FreezeMembershipArgs,
  MembershipsArgs,
  RenewMembershipArgs,
} from './membership.input';
import {
  assignFeePlan,
  cancelMembership,
  changeMembershipPlan,
  findMembershipInScope,
  freezeMembership,
  getMembership,
  listMemberships,
  renewMembership,
} from './membership.service';
import { Membership } from './membership.type';
import { toMembership } from './membership-view.service';
import { findFeePlan } from './plan.service';
import { FeePlan } from './plan.type';

@Resolver(() => Membership)
export class MembershipResolver {
  @Query(() => Membership, { nullable: true })
  async membership(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext) {
    return toMembership(await getMembership(ctx, id, 'id'));
  }

  @Query(() => [Membership], { description: 'Memberships, newest start first (your branches only).' })
  async memberships(@Args(() => MembershipsArgs) { libraryId, first }: MembershipsArgs, @Ctx() ctx: BillingContext) {
    return (await listMemberships(ctx, libraryId, first ?? 50)).map(toMembership);
  }

  @FieldResolver(() => FeePlan, { nullable: true })
  async plan(@Root() m: Membership, @Ctx() ctx: BillingContext) {
    return findFeePlan(ctx, m.planId);
  }

  @Mutation(() => Membership, { description: 'Puts a student on a fee plan: the first period and the security deposit are charged.' })
  async assignFeePlan(@Arg('input', () => AssignFeePlanInput) input: AssignFeePlanInput, @Ctx() ctx: BillingContext) {
    return toMembership(await assignFeePlan(ctx, input));
  }

  @Mutation(() => Membership, { description: 'Starts the next period (one charge per period, however often asked).' })
  async renewMembership(@Args(() => RenewMembershipArgs) a: RenewMembershipArgs, @Ctx() ctx: BillingContext) {
    return toMembership(await renewMembership(ctx, a.membershipId, a.idempotencyKey));
  }

  @Mutation(() => Membership, { description: "Upgrade or downgrade from today: unused days are credited, the new plan's period is charged." })
  async changeMembershipPlan(@Args(() => ChangeMembershipPlanArgs) a: ChangeMembershipPlanArgs, @Ctx() ctx: BillingContext) {
    return toMembership(await changeMembershipPlan(ctx, a.membershipId, a.planId, a.idempotencyKey));
  }

  @Mutation(() => Membership, { description: 'Pauses from today for `days`: the end date moves by as many days; nothing is charged meanwhile.' })
  async freezeMembership(@Args(() => FreezeMembershipArgs) a: FreezeMembershipArgs, @Ctx() ctx: BillingContext) {
    return toMembership(await freezeMembership(ctx, a.membershipId, a.days, a.idempotencyKey));
  }

  @Mutation(() => Membership, { description: 'Cancels once: with refund it ends today and credits the unused days; without, it just stops renewing.' })
  async cancelMembership(@Args(() => CancelMembershipArgs) a: CancelMembershipArgs, @Ctx() ctx: BillingContext) {
    return toMembership(await cancelMembership(ctx, a.membershipId, a.refund));
  }
}

/** `_entities`: a membership of the caller's tenant (and branch scope), else null. */
export async function resolveMembershipReference(ref: Record<string, unknown>, ctx: BillingContext) {
  const m = await findMembershipInScope(ctx, ref.id);
  return m ? toMembership(m) : null;
}
