import type { Connection } from 'mongoose';
import { provisionDatabase } from '../core/tenancy/provision';
import { trustedDocumentSchema } from '../subgraphs/tenant/trusted-document.model';
import type { Migration } from './types';

const SCHEMAS = { TrustedDocument: trustedDocumentSchema };

/** Indexes of trusted_documents a tenant created before trusted documents lacks (its unique hash index above all). */
async function missing(conn: Connection): Promise<number> {
  const have = await conn.db!.collection('trusted_documents').indexes().catch(() => []);
  const keys = new Set(have.map((i) => JSON.stringify(i.key)));
  return trustedDocumentSchema.indexes().filter(([key]) => !keys.has(JSON.stringify(key))).length;
}

/**
 * Trusted documents (partner keys, docs/partners.md): the collection and its unique
 * hash index for tenants provisioned before it existed (001 ran for them already).
 */
export const trustedDocumentsIndexes: Migration = {
  id: '004-trusted-documents',
  description: 'Create trusted_documents and its unique hash index',
  pending: missing,
  async up(conn) {
    const before = await missing(conn);
    await provisionDatabase(conn, SCHEMAS);
    return before;
  },
};
