import { documentLinkRules } from '../../core/documents/link.rules';
import { mergeRules, type RuleTable } from '../../core/permissions/rules';

/** Issuing the link is where the permission is checked: the same one as reading the wallet and ledger. */
export const statementRules: RuleTable = mergeRules(documentLinkRules, {
  Query: { creditStatement: 'credits:read' },
});
