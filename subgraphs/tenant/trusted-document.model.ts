import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/**
 * An operation the tenant trusts for its partner keys (tenant DB, read only by
 * this subgraph). Content-addressed: `hash` is the SHA-256 (hex) of `document`
 * exactly as registered, which is what partners send as
 * `extensions.persistedQuery.sha256Hash`.
 */
export interface TrustedDocumentDoc {
  _id: Types.ObjectId;
  hash: string;
  document: string;
  /** Names of the operations the document defines (null for an anonymous one). */
  operationNames: (string | null)[];
  createdBy: string;
  createdAt: Date;
}

export const trustedDocumentSchema = new Schema<TrustedDocumentDoc>(
  {
    hash: { type: String, required: true },
    document: { type: String, required: true },
    operationNames: { type: [String], default: [] },
    createdBy: { type: String, required: true },
  },
  { collection: 'trusted_documents', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw' },
);
// One entry per document: a second registration of the same text is a no-op.
trustedDocumentSchema.index({ hash: 1 }, { unique: true });
trustedDocumentSchema.index({ createdAt: -1 });

export const trustedDocumentModel = (conn: Connection) => modelOn(conn, 'TrustedDocument', trustedDocumentSchema);
