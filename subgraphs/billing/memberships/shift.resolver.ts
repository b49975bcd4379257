import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { ownedReference } from '../../../core/federation/owned-reference';
import { listFeePlansOfShift } from './plan.service';
import { FeePlan } from './plan.type';
import { Shift } from './shift.type';

/** A stub only for a shift the student subgraph (its owner) knows in the caller's tenant. */
export const resolveShiftReference = (ref: Record<string, unknown>, ctx: BillingContext) => ownedReference(ref, ctx, 'student', 'Shift');

@Resolver(() => Shift)
export class ShiftFeePlansResolver {
  @FieldResolver(() => [FeePlan], { description: 'What the shift sells for: the fee plans of this shift, by name.' })
  feePlans(@Root() shift: Shift, @Arg('includeRetired', () => Boolean, { defaultValue: false }) includeRetired: boolean, @Ctx() ctx: BillingContext) {
    return listFeePlansOfShift(ctx, shift.id, includeRetired);
  }
}
