import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { StudentSettings } from './settings.type';

/** Who may reach settings's fields (docs/permissions.md); `*` is every field without its own entry. */
export const settingsRules: RuleTable = {
  Query: { studentSettings: 'tenant:read' },
  Mutation: { updateStudentSettings: 'tenant:update' },
  StudentSettings: typeRules<StudentSettings>({ '*': 'tenant:read', referralRewardAmount: 'payments:read' }),
};
