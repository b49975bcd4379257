import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Membership, SoldTerms } from './membership.type';

/** Who may reach membership's fields (docs/permissions.md); `*` is every field without its own entry. */
export const membershipRules: RuleTable = {
  // The id is what Booking.membership lists; what a booking is checked against (student, library,
  // shift, dates, status) is for whoever books (front desk too); the money terms need fees:read.
  Membership: typeRules<Membership>({
    id: 'students:list',
    studentId: 'bookings:write',
    libraryId: 'bookings:write',
    planId: 'bookings:write',
    shiftId: 'bookings:write',
    seatKind: 'bookings:write',
    status: 'bookings:write',
    startDate: 'bookings:write',
    endDate: 'bookings:write',
    '*': 'fees:read',
  }),
  SoldTerms: typeRules<SoldTerms>({ '*': 'fees:read' }),
  Query: { membership: 'fees:read', memberships: 'fees:read' },
  Mutation: {
    assignFeePlan: 'fees:manage',
    renewMembership: 'fees:manage',
    changeMembershipPlan: 'fees:manage',
    freezeMembership: 'fees:manage',
    cancelMembership: 'fees:manage',
  },
};
