import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { BookSeatInput } from './booking.input';
import { bookSeat, cancelBooking, listBookings } from './booking.service';
import { Booking } from './booking.type';
import { studentLoader } from './student.loader';
import { Student } from './student.type';

@Resolver(() => Booking)
export class BookingResolver {
  @Query(() => [Booking], { description: 'Bookings, newest date first (at most 500).' })
  bookings(
    @Arg('studentId', () => ID, { nullable: true }) studentId: string | undefined,
    @Arg('libraryId', () => ID, { nullable: true }) libraryId: string | undefined,
    @Arg('date', () => String, { nullable: true, description: 'YYYY-MM-DD' }) date: string | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    return listBookings(ctx, { studentId: studentId ?? undefined, libraryId: libraryId ?? undefined, date: date ?? undefined });
  }

  @Mutation(() => Booking, { description: 'Reserves a seat for a day; CONFLICT if taken or the student already booked that day.' })
  bookSeat(@Arg('input', () => BookSeatInput) input: BookSeatInput, @Ctx() ctx: RequestContext) {
    return bookSeat(ctx, input);
  }

  @Mutation(() => Booking)
  cancelBooking(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return cancelBooking(ctx, id);
  }

  @FieldResolver(() => Student)
  async student(@Root() booking: { studentId: string }, @Ctx() ctx: RequestContext) {
    const student = await studentLoader(ctx).load(booking.studentId);
    if (!student) throw notFound('Student');
    return student;
  }
}
