import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../tenancy/db';
import type { FileKind } from './kinds';
import { perCollection } from '../store/schema-per-collection';

/** One uploaded (or announced) object of a tenant; each domain keeps its own collection in the tenant database. */
export interface FileDoc {
  _id: Types.ObjectId;
  kind: FileKind;
  /** The entity the file belongs to (a student, a library, the tenant). */
  ownerId: string;
  /** Always tenants/<tenantId>/…, built on the server from the caller's tenant. */
  key: string;
  /** What the upload URL allows (signed); a confirmed file has exactly these. */
  contentType: string;
  size: number;
  /** pending: URL issued, not confirmed; ready: HEAD matched on confirmUpload. */
  status: 'pending' | 'ready';
  uploadedBy: string;
  createdAt: Date;
  confirmedAt?: Date;
}

/** The file records of one domain, in collection `collection` of every tenant database. */
export const fileSchema = perCollection((collection: string): Schema<FileDoc> => {
  const schema = new Schema<FileDoc>(
    {
      kind: { type: String, required: true },
      ownerId: { type: String, required: true },
      key: { type: String, required: true },
      contentType: { type: String, required: true },
      size: { type: Number, required: true },
      status: { type: String, required: true, default: 'pending' },
      uploadedBy: { type: String, required: true },
      createdAt: { type: Date, required: true, default: () => new Date() },
      confirmedAt: Date,
    },
    { collection, versionKey: false, strictQuery: 'throw' },
  );
  schema.index({ key: 1 }, { unique: true });
  schema.index({ ownerId: 1, kind: 1 });
  return schema;
});

/** The model of a file collection on a tenant connection (one model name per collection). */
export function fileModel(conn: Connection, collection: string) {
  return modelOn(conn, `File:${collection}`, fileSchema(collection));
}
