import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { TrustedDocument } from './trusted-document.type';

/** Who may reach trusted-document's fields (docs/permissions.md); `*` is every field without its own entry. */
export const trustedDocumentRules: RuleTable = {
  // Internal (@inaccessible): the partner endpoint looks up a registered document with the partner's token (its own tenant only).
  Query: { trustedDocuments: 'apikeys:manage', trustedDocumentSource: 'authenticated' },
  Mutation: { registerTrustedDocuments: 'apikeys:manage', removeTrustedDocument: 'apikeys:manage' },
  TrustedDocument: typeRules<TrustedDocument>({ '*': 'apikeys:manage' }),
};
