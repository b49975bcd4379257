import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Booking } from './booking.type';

/** Who may reach booking's fields (docs/permissions.md); `*` is every field without its own entry. */
export const bookingRules: RuleTable = {
  Query: { bookings: 'students:list' },
  Mutation: { bookSeat: 'bookings:write', createBooking: 'bookings:write', cancelBooking: 'bookings:write' },
  Booking: typeRules<Booking>({ '*': 'students:list' }),
};
