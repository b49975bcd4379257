import type { RuleTable } from '../../../core/permissions/rules';

/** Who may reach account's fields (docs/permissions.md); `*` is every field without its own entry. */
export const accountRules: RuleTable = {
  // The tenant's SaaS account and its payment orders to the platform: owners (billing:manage), platform admins with x-tenant.
  Query: { saasAccount: 'billing:manage', saasInvoices: 'platform:billing' },
  Mutation: { paySaasInvoice: 'billing:manage', runSaasBillingCycle: 'platform:billing' },
};
