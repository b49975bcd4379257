import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { CreditProfitRow, CreditUsageRow, MessagingSpendRow } from './report.type';

/** Who may reach report's fields (docs/permissions.md); `*` is every field without its own entry. */
export const reportRules: RuleTable = {
  Query: { creditProfit: 'credits:rates', creditUsage: 'credits:read', messagingSpend: 'credits:read' },
  CreditProfitRow: typeRules<CreditProfitRow>({ '*': 'credits:rates' }),
  CreditUsageRow: typeRules<CreditUsageRow>({ '*': 'credits:read' }),
  MessagingSpendRow: typeRules<MessagingSpendRow>({ '*': 'credits:read' }),
};
