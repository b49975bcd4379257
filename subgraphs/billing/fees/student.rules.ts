import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Student } from './student.type';

/** Who may reach student's fields (docs/permissions.md); `*` is every field without its own entry. */
export const studentRules: RuleTable = {
  Student: typeRules<Student, 'payments' | 'memberships' | 'activeMembership' | 'dues' | 'duesSummary'>({
    '*': 'students:list',
    payments: 'payments:read',
    memberships: 'fees:read',
    activeMembership: 'fees:read',
    dues: 'fees:read',
    duesSummary: 'fees:summary',
  }),
};
