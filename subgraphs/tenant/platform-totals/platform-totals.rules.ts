import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { PlatformTotals, TenantMonthCount, TenantPlanCount, TenantStatusCount } from './platform-totals.type';

/** Platform roles only (tenants:read); the money needs platform:revenue, the refresh tenants:update. */
export const platformTotalsRules: RuleTable = {
  Query: { platformTotals: 'tenants:read' },
  Mutation: { refreshPlatformTotals: 'tenants:update' },
  PlatformTotals: typeRules<PlatformTotals>({ '*': 'tenants:read', revenueCollected: 'platform:revenue' }),
  TenantStatusCount: typeRules<TenantStatusCount>({ '*': 'tenants:read' }),
  TenantPlanCount: typeRules<TenantPlanCount>({ '*': 'tenants:read' }),
  TenantMonthCount: typeRules<TenantMonthCount>({ '*': 'tenants:read' }),
};
