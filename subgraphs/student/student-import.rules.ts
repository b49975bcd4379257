import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { ImportIssue, ImportReport, ImportRow } from './student-import.type';

/** Who may reach student-import's fields (docs/permissions.md); `*` is every field without its own entry. */
export const studentImportRules: RuleTable = {
  Mutation: { importStudents: 'students:create' },
  ImportReport: typeRules<ImportReport>({ '*': 'students:create' }),
  ImportRow: typeRules<ImportRow>({ '*': 'students:create' }),
  ImportIssue: typeRules<ImportIssue>({ '*': 'students:create' }),
};
