import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Referral, ReferralReward, ReferralStats } from './referral.type';

/** Who may reach referral's fields (docs/permissions.md); `*` is every field without its own entry. */
export const referralRules: RuleTable = {
  // referralCode issues the code on first ask (a write), so read-only roles cannot.
  Query: { referralCode: 'students:update', referrals: 'students:read', referralStats: 'students:read' },
  // Referral money (reward amounts and totals) needs payments:read on top.
  Referral: typeRules<Referral>({ '*': 'students:read', reward: 'payments:read' }),
  ReferralReward: typeRules<ReferralReward>({ '*': 'payments:read' }),
  ReferralStats: typeRules<ReferralStats>({ '*': 'students:read', rewardsTotal: 'payments:read' }),
};
