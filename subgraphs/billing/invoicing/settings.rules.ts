import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { BillingSettings } from './settings.type';

/** Who may reach settings's fields (docs/permissions.md); `*` is every field without its own entry. */
export const settingsRules: RuleTable = {
  Query: { billingSettings: 'payments:read' },
  Mutation: { updateBillingSettings: 'billing:settings' },
  BillingSettings: typeRules<BillingSettings>({ '*': 'payments:read' }),
};
