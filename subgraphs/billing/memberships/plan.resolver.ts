import { Arg, Args, Ctx, ID, Mutation, Query, Resolver, Directive } from 'type-graphql';
import type { BillingContext } from '../context';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { nowOf } from './clock.service';
import { CreateFeePlanInput, FeePlansArgs, UpdateFeePlanInput } from './plan.input';
import { createFeePlan, getFeePlan, listFeePlans, retireFeePlan, updateFeePlan } from './plan.service';
import { toFeePlan } from './plan.service';
import { FeePlan } from './plan.type';

@Resolver(() => FeePlan)
export class FeePlanResolver {
  @Directive(PUBLIC_TAG)
  @Query(() => [FeePlan], { description: "A library's fee plans by name; retired ones only when asked." })
  feePlans(@Args(() => FeePlansArgs) { libraryId, includeRetired }: FeePlansArgs, @Ctx() ctx: BillingContext) {
    return listFeePlans(ctx, libraryId, includeRetired);
  }

  @Query(() => FeePlan, { nullable: true })
  async feePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext) {
    return toFeePlan(await getFeePlan(ctx, id));
  }

  @Mutation(() => FeePlan, { description: 'Creates a fee plan at a library.' })
  createFeePlan(@Arg('input', () => CreateFeePlanInput) input: CreateFeePlanInput, @Ctx() ctx: BillingContext) {
    return createFeePlan(ctx, input);
  }

  @Mutation(() => FeePlan, { description: 'Renames a plan or changes its description (money terms never change).' })
  updateFeePlan(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateFeePlanInput) input: UpdateFeePlanInput, @Ctx() ctx: BillingContext) {
    return updateFeePlan(ctx, id, input);
  }

  @Mutation(() => FeePlan, { description: 'Stops selling a plan (idempotent); its memberships run on.' })
  retireFeePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext) {
    return retireFeePlan(ctx, id, nowOf(ctx.services));
  }
}
