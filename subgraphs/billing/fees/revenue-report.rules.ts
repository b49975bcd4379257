import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { RevenueReportRow } from './revenue-report.type';

/** Who may reach revenue.report's fields (docs/permissions.md); `*` is every field without its own entry. */
export const revenueReportRules: RuleTable = {
  Query: { revenueReport: 'revenue:read' },
  RevenueReportRow: typeRules<RevenueReportRow>({ '*': 'revenue:read' }),
};
