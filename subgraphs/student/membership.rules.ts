import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Membership } from './membership.type';

/** Who may reach membership's fields (docs/permissions.md); `*` is every field without its own entry. */
export const membershipRules: RuleTable = {
  // Booking.membership lists the id (front desk too); the money terms are billing's (fees:read).
  Membership: typeRules<Membership>({ id: 'students:list' }),
};
