import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { CreditPackage } from './package.type';

/** Who may reach package's fields (docs/permissions.md); `*` is every field without its own entry. */
export const packageRules: RuleTable = {
  Query: { creditPackages: 'credits:read' },
  // Internal (@inaccessible): billing's service token after the platform received a package's money.
  Mutation: {
    createCreditPackage: 'platform:credits',
    updateCreditPackage: 'platform:credits',
    purchaseCreditPackage: 'credits:manage',
    deliverCreditPackage: 'credits:deliver',
  },
  CreditPackage: typeRules<CreditPackage>({ '*': 'credits:read' }),
};
