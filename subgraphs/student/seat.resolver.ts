import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { StudentContext } from './context';
import { assignSeats } from './seat-assign.service';
import { AssignSeatsInput, SeatAvailabilityArgs, SeatInput } from './seat.input';
import { configureSeats, seatAvailability, seatsOf } from './seat.service';
import { Seat, SeatAssignmentResult, SeatAvailability } from './seat.type';

@Resolver(() => Seat)
export class SeatResolver {
  @Query(() => [Seat], { description: "The library's seat map (seats 1..capacity if none is configured)." })
  seats(@Arg('libraryId', () => ID) libraryId: string, @Ctx() ctx: StudentContext) {
    return seatsOf(ctx, libraryId);
  }

  @Query(() => [SeatAvailability], {
    description: 'Each seat free or booked for a shift (or old slot; default FULL_DAY) on a day; an overnight shift includes the next morning.',
  })
  seatAvailability(@Args() { libraryId, date, slot, shiftId }: SeatAvailabilityArgs, @Ctx() ctx: StudentContext) {
    return seatAvailability(ctx, libraryId, date, { slot, shiftId });
  }

  @Mutation(() => [Seat], { description: 'Upserts seats by number (idempotent); at most the library capacity. removeOthers deletes unlisted seats.' })
  configureSeats(
    @Arg('libraryId', () => ID) libraryId: string,
    @Arg('seats', () => [SeatInput]) seats: SeatInput[],
    @Arg('removeOthers', () => Boolean, { nullable: true, defaultValue: false }) removeOthers: boolean | null,
    @Ctx() ctx: StudentContext,
  ) {
    return configureSeats(ctx, libraryId, seats, removeOthers ?? false);
  }

  @Mutation(() => [SeatAssignmentResult], { description: 'Books many students at once; one result per row (ASSIGNED / CONFLICT / INVALID).' })
  assignSeats(@Arg('input', () => AssignSeatsInput) input: AssignSeatsInput, @Ctx() ctx: StudentContext) {
    return assignSeats(ctx, input);
  }
}
