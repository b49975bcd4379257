import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach occupancy's fields (docs/permissions.md); `*` is every field without its own entry. */
export const occupancyRules: RuleTable = {
  Subscription: { occupancyChanged: 'attendance:read' },
};
