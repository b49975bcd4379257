import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { StudentContext } from './context';
import { notFound } from '../../core/errors';
import { BookingsArgs, BookSeatInput, CreateBookingInput } from './booking.input';
import { bookSeat, cancelBooking, createBooking, listBookings } from './booking.service';
import { Booking } from './booking.type';
import { Membership } from './membership.type';
import { shiftLoader } from './shift.loader';
import { Shift } from './shift.type';
import { studentLoader } from './student.loader';
import { Student } from './student.type';

@Resolver(() => Booking)
export class BookingResolver {
  @Query(() => [Booking], { description: 'Bookings, newest date first (at most 500).' })
  bookings(@Args() { studentId, libraryId, date }: BookingsArgs, @Ctx() ctx: StudentContext) {
    return listBookings(ctx, { studentId: studentId ?? undefined, libraryId: libraryId ?? undefined, date: date ?? undefined });
  }

  @Mutation(() => Booking, {
    description:
      "Reserves a seat for a whole day (DAILY, the FULL_DAY shift, or the membership's shift); CONFLICT if taken or the student already booked that time.",
  })
  bookSeat(@Arg('input', () => BookSeatInput) input: BookSeatInput, @Ctx() ctx: StudentContext) {
    return bookSeat(ctx, input);
  }

  @Mutation(() => Booking, {
    description:
      'HOURLY, DAILY or MONTHLY booking of a shift; CONFLICT if the seat or the student is taken at an overlapping time (overlapping shifts included).',
  })
  createBooking(@Arg('input', () => CreateBookingInput) input: CreateBookingInput, @Ctx() ctx: StudentContext) {
    return createBooking(ctx, input);
  }

  @Mutation(() => Booking)
  cancelBooking(@Arg('id', () => ID) id: string, @Ctx() ctx: StudentContext) {
    return cancelBooking(ctx, id);
  }

  @FieldResolver(() => Shift, { nullable: true, description: 'The shift booked (null for HOURLY).' })
  shift(@Root() booking: { shiftId: string | null }, @Ctx() ctx: StudentContext) {
    return booking.shiftId ? shiftLoader(ctx).load(booking.shiftId) : null;
  }

  @FieldResolver(() => Membership, { nullable: true, description: 'The billing membership the booking draws on.' })
  membership(@Root() booking: { membershipId: string | null }) {
    return booking.membershipId ? { id: booking.membershipId } : null;
  }

  @FieldResolver(() => Student)
  async student(@Root() booking: { studentId: string }, @Ctx() ctx: StudentContext) {
    const student = await studentLoader(ctx).load(booking.studentId);
    if (!student) throw notFound('Student');
    return student;
  }
}
