import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { SaasAccount, SaasBillingCycleReport, SaasInvoice } from './invoice.type';

/** Who may reach invoice's fields (docs/permissions.md); `*` is every field without its own entry. */
export const invoiceRules: RuleTable = {
  SaasAccount: typeRules<SaasAccount>({ '*': 'billing:manage' }),
  SaasInvoice: typeRules<SaasInvoice>({ '*': 'billing:manage' }),
  SaasBillingCycleReport: typeRules<SaasBillingCycleReport>({ '*': 'platform:billing' }),
};
