import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { CreditDebit, CreditRates, CreditThresholds, Wallet } from './wallet.type';

/** Who may reach wallet's fields (docs/permissions.md); `*` is every field without its own entry. */
export const walletRules: RuleTable = {
  Wallet: typeRules<Wallet, 'rates'>({ '*': 'credits:read', rates: 'credits:rates' }),
  CreditThresholds: typeRules<CreditThresholds>({ '*': 'credits:read' }),
  CreditRates: typeRules<CreditRates>({ '*': 'credits:rates' }),
  CreditDebit: typeRules<CreditDebit>({ '*': 'messages:send' }),
  Query: { wallet: 'credits:read' },
  Mutation: { allocateCredits: 'credits:allocate', setLowBalanceThreshold: 'credits:manage' },
};
