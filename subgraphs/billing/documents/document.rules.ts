import { documentLinkRules } from '../../../core/documents/link.rules';
import { mergeRules, type RuleTable } from '../../../core/permissions/rules';

/**
 * Issuing a link is where the permission is checked (the download itself carries only the
 * signed link): the same permission as reading the data on the API.
 */
export const documentRules: RuleTable = mergeRules(documentLinkRules, {
  Query: {
    paymentDocument: 'payments:read',
    paymentRegisterDocument: 'payments:read',
    duesRegisterDocument: 'fees:read',
  },
});
