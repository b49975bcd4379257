import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { TrustedDocument } from './trusted-document.type';

/** Who may reach trusted-document's fields (docs/permissions.md); `*` is every field without its own entry. */
export const trustedDocumentRules: RuleTable = {
  Query: { trustedDocuments: 'apikeys:manage', trustedDocumentSource: 'authenticated' },
  Mutation: { registerTrustedDocuments: 'apikeys:manage', removeTrustedDocument: 'apikeys:manage' },
  TrustedDocument: typeRules<TrustedDocument>({ '*': 'apikeys:manage' }),
};
