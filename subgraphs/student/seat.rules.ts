import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Seat, SeatAssignmentResult, SeatAvailability } from './seat.type';

/** Who may reach seat's fields (docs/permissions.md); `*` is every field without its own entry. */
export const seatRules: RuleTable = {
  Query: { seats: 'libraries:read', seatAvailability: 'students:list' },
  Mutation: { configureSeats: 'libraries:write', assignSeats: 'bookings:write' },
  Seat: typeRules<Seat>({ '*': 'libraries:read' }),
  SeatAvailability: typeRules<SeatAvailability>({ '*': 'students:list' }),
  SeatAssignmentResult: typeRules<SeatAssignmentResult>({ '*': 'bookings:write' }),
};
