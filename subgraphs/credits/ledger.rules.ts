import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { LedgerEntry } from './ledger.type';

/** Who may reach ledger's fields (docs/permissions.md); `*` is every field without its own entry. */
export const ledgerRules: RuleTable = {
  LedgerEntry: typeRules<LedgerEntry>({ '*': 'credits:read' }),
  Query: { creditLedger: 'credits:read' },
};
