import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Booking } from './booking.type';

@ObjectType({ description: 'A seat of a library (seat map). Without a configured map, seats 1..capacity.' })
export class Seat {
  @Field(() => ID, { description: 'The stored id, or "<libraryId>:<number>" for an unconfigured seat.' }) id: string;
  @Field(() => Int) number: number;
  @Field(() => String) label: string;
  @Field(() => String, { nullable: true }) zone?: string | null;
  @Field(() => [String], { description: 'e.g. window, power, ac.' }) features: string[];
}

@ObjectType({ description: 'Whether a seat is free for a whole slot on one day.' })
export class SeatAvailability {
  @Field(() => Seat) seat: Seat;
  @Field(() => Boolean, { description: 'No booking holds any hour of the slot.' }) free: boolean;
  @Field(() => [ID], { description: 'Bookings holding some hour of the slot.' }) bookingIds: string[];
}

export enum AssignmentStatus {
  ASSIGNED = 'assigned',
  CONFLICT = 'conflict',
  INVALID = 'invalid',
}
registerEnumType(AssignmentStatus, { name: 'AssignmentStatus' });

@ObjectType({ description: 'Outcome of one row of assignSeats; a row is booked whole or not at all.' })
export class SeatAssignmentResult {
  @Field(() => Int, { description: '1-based position in the input.' }) row: number;
  @Field(() => String) studentId: string;
  @Field(() => Int) seatNumber: number;
  @Field(() => AssignmentStatus) status: AssignmentStatus;
  @Field(() => String, { nullable: true }) message?: string | null;
  @Field(() => Booking, { nullable: true }) booking?: Booking | null;
}
