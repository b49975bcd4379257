import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { PendingPlanChange, Plan, PlanLimits, PlanPrice, SubscriptionChange, TenantSubscription } from './subscription.type';

/** Who may reach subscription's fields (docs/permissions.md); `*` is every field without its own entry. */
export const subscriptionRules: RuleTable = {
  Query: { plans: 'authenticated', subscription: 'billing:manage' },
  Mutation: {
    subscribe: 'billing:manage',
    changePlan: 'billing:manage',
    cancelSubscription: 'billing:manage',
    renewSubscription: 'billing:manage',
    importSubscription: 'platform:billing',
    applyScheduledDowngrade: 'platform:billing',
  },
  Plan: typeRules<Plan>({ '*': 'authenticated' }),
  PlanLimits: typeRules<PlanLimits>({ '*': 'authenticated' }),
  PlanPrice: typeRules<PlanPrice>({ '*': 'authenticated' }),
  TenantSubscription: typeRules<TenantSubscription>({ '*': 'billing:manage' }),
  PendingPlanChange: typeRules<PendingPlanChange>({ '*': 'billing:manage' }),
  SubscriptionChange: typeRules<SubscriptionChange>({ '*': 'billing:manage' }),
};
