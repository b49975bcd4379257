import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { CollectionsRow, RevenueBreakdownRow } from './money-report.type';

/** Who may reach the money reports (docs/permissions.md): revenue readers, like revenueReport. */
export const moneyReportRules: RuleTable = {
  Query: { collectionsReport: 'revenue:read', revenueBreakdown: 'revenue:read' },
  CollectionsRow: typeRules<CollectionsRow>({ '*': 'revenue:read' }),
  RevenueBreakdownRow: typeRules<RevenueBreakdownRow>({ '*': 'revenue:read' }),
};
