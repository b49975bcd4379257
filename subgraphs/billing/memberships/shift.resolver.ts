import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { tryParseId } from '../../../core/ids';
import { listFeePlansOfShift } from './plan.service';
import { FeePlan } from './plan.type';
import { Shift } from './shift.type';

/** A well-formed id resolves to its stub; the student subgraph answers for the shift itself. */
export const resolveShiftReference = (ref: Record<string, unknown>) => (tryParseId(ref.id) ? { id: ref.id as string } : null);

@Resolver(() => Shift)
export class ShiftFeePlansResolver {
  @FieldResolver(() => [FeePlan], { description: 'What the shift sells for: the fee plans of this shift, by name.' })
  feePlans(@Root() shift: Shift, @Arg('includeRetired', () => Boolean, { defaultValue: false }) includeRetired: boolean, @Ctx() ctx: RequestContext) {
    return listFeePlansOfShift(ctx, shift.id, includeRetired);
  }
}
