import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Student } from './student.type';

/** Who may reach student's fields (docs/permissions.md); `*` is every field without its own entry. */
export const studentRules: RuleTable = {
  Student: typeRules<Student, 'messages' | 'messageCount'>({ '*': 'students:list', messages: 'messages:read', messageCount: 'messages:read' }),
};
