import { documentLinkRules } from '../../../core/documents/link.rules';
import { mergeRules, type RuleTable } from '../../../core/permissions/rules';

/** Issuing a link is where the permission is checked: the same one as reading the data on the API. */
export const documentRules: RuleTable = mergeRules(documentLinkRules, {
  Query: {
    attendanceSheet: 'attendance:read',
    // The file holds phone numbers and e-mails: as the CSV export and Student.phone.
    studentsExport: 'students:read',
    attendanceExport: 'attendance:read',
  },
});
