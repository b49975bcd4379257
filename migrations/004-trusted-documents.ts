import { trustedDocumentSchema } from '../subgraphs/tenant/trusted-document.model';
import { indexMigration } from './index-migration';

/**
 * Trusted documents (partner keys, docs/partners.md): the collection and its unique
 * hash index for tenants provisioned before it existed (001 ran for them already).
 */
export const trustedDocumentsIndexes = indexMigration('004-trusted-documents', 'Create trusted_documents and its unique hash index', [
  { TrustedDocument: trustedDocumentSchema },
]);
