import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { StudentContext } from './context';
import { tryParseId } from '../../core/ids';
import { inLibraryScope } from '../../core/scope/library-scope';
import { getLibrary } from './tenant.client';
import { Library } from './library.type';
import { shiftOccupancy } from './shift-occupancy.service';
import { CreateShiftInput, ShiftOccupancyArgs, UpdateShiftInput } from './shift.input';
import { createShift, hoursOf, listShifts, retireShift, shiftsOf, updateShift } from './shift.service';
import { Shift, ShiftOccupancy } from './shift.type';

@Resolver(() => Shift)
export class ShiftResolver {
  @Query(() => [Shift], { description: "A library's shifts by start time; a library with none gets defaults from its opening hours on first use." })
  shifts(
    @Arg('libraryId', () => ID) libraryId: string,
    @Arg('includeRetired', () => Boolean, { nullable: true, defaultValue: false }) includeRetired: boolean | null,
    @Ctx() ctx: StudentContext,
  ) {
    return listShifts(ctx, libraryId, includeRetired ?? false);
  }

  @Query(() => [ShiftOccupancy], { description: 'Per active shift running that day: seats booked and free, check-ins during it, whether it runs now.' })
  shiftOccupancy(@Args() { libraryId, date }: ShiftOccupancyArgs, @Ctx() ctx: StudentContext) {
    return shiftOccupancy(ctx, libraryId, date);
  }

  @Mutation(() => Shift, {
    description: "BAD_USER_INPUT unless on the hour, inside the library's opening hours (overnight only where it is open across midnight) and uniquely named.",
  })
  createShift(@Arg('input', () => CreateShiftInput) input: CreateShiftInput, @Ctx() ctx: StudentContext) {
    return createShift(ctx, input);
  }

  @Mutation(() => Shift, { description: 'Renames freely; times and days change only while no current or future booking uses the shift (CONFLICT).' })
  updateShift(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateShiftInput) input: UpdateShiftInput, @Ctx() ctx: StudentContext) {
    return updateShift(ctx, id, input);
  }

  @Mutation(() => Shift, { description: 'Stops new bookings on the shift; existing bookings stay. Idempotent.' })
  retireShift(@Arg('id', () => ID) id: string, @Ctx() ctx: StudentContext) {
    return retireShift(ctx, id);
  }
}

@Resolver(() => Library)
export class LibraryShiftsResolver {
  /** Empty outside the caller's branch scope (a list of libraries should not fail on one branch). */
  @FieldResolver(() => [Shift], { description: 'Active shifts by start time (defaults from the opening hours on first use).' })
  async shifts(@Root() lib: Library, @Ctx() ctx: StudentContext) {
    const _id = tryParseId(lib.id);
    if (!_id || !inLibraryScope(ctx, lib.id)) return [];
    // The tenant subgraph is asked for the hours only when the library has no shifts yet.
    return shiftsOf(ctx, _id, async () => hoursOf(await getLibrary(ctx, lib.id)));
  }
}
