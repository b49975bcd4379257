import { randomUUID } from 'node:crypto';
import { trusted, type Connection } from 'mongoose';
import type { RequestContext } from '../context';
import { AppError, badInput, notFound } from '../errors';
import { tryParseId } from '../ids';
import { byIdLoader } from '../store/by-id-loader';
import { fileModel, type FileDoc } from './file.model';
import { FILE_KINDS, ownerPrefix, tenantPrefix, type FileKind } from './kinds';
import type { ObjectStore } from './object-store';

/**
 * The upload / confirm / download flow, generic over the kind of file and its owner, so any
 * domain (students, libraries, the tenant, later ticket attachments) stores files the same way
 * (docs/flows/files.md). Keys are built here from the caller's tenant id, never from input.
 */

/** Upload URLs live long enough for a slow mobile upload; download URLs briefly (they are bearer links). */
export const UPLOAD_URL_TTL_S = 15 * 60;
export const DOWNLOAD_URL_TTL_S = 5 * 60;

/** One domain's files in the caller's tenant. */
export interface FileScope {
  conn: Connection;
  tenantId: string;
  /** The domain's file collection in the tenant database (e.g. student_files). */
  collection: string;
  store: ObjectStore;
  userId: string;
}

export const storageNotConfigured = () =>
  new AppError('STORAGE_NOT_CONFIGURED', 'File storage is not configured on this deployment (set S3_BUCKET and the other S3_* variables)');

/** The caller's scope for a domain's files; STORAGE_NOT_CONFIGURED when the service has no store. */
export async function fileScope(ctx: RequestContext, collection: string, store: ObjectStore | null): Promise<FileScope> {
  if (!store) throw storageNotConfigured();
  const tenant = await ctx.tenant();
  return { conn: await ctx.tenantDb(), tenantId: tenant._id.toHexString(), collection, store, userId: ctx.auth?.sub ?? 'unknown' };
}

export interface UploadRequest {
  kind: FileKind;
  ownerId: string;
  contentType: string;
  size: number;
}

/** Checks the kind's limits, signs a PUT for a fresh key and records the file as pending. */
export async function requestUpload(scope: FileScope, req: UploadRequest) {
  const spec = FILE_KINDS[req.kind];
  const contentType = req.contentType.toLowerCase();
  if (!spec.contentTypes.includes(contentType as never)) throw badInput('input.contentType', `must be one of ${spec.contentTypes.join(', ')}`);
  if (!Number.isInteger(req.size) || req.size < 1 || req.size > spec.maxBytes) throw badInput('input.size', `must be 1 to ${spec.maxBytes} bytes`);
  const key = `${ownerPrefix(scope.tenantId, req.kind, req.ownerId)}${randomUUID()}`;
  const uploadUrl = await scope.store.presignPut(key, contentType, req.size, UPLOAD_URL_TTL_S);
  const doc = await fileModel(scope.conn, scope.collection).create({
    kind: req.kind,
    ownerId: req.ownerId,
    key,
    contentType,
    size: req.size,
    status: 'pending',
    uploadedBy: scope.userId,
  });
  return {
    fileId: doc._id.toHexString(),
    uploadUrl,
    headers: [
      { name: 'Content-Type', value: contentType },
      { name: 'Content-Length', value: String(req.size) },
    ],
    expiresAt: new Date(Date.now() + UPLOAD_URL_TTL_S * 1000),
    size: req.size,
    maxBytes: spec.maxBytes,
  };
}

/** A file of this scope of one of `kinds`, or NOT_FOUND (another tenant's id is simply not here). */
export async function findFile(scope: FileScope, fileId: string, kinds: readonly FileKind[]): Promise<FileDoc> {
  const _id = tryParseId(fileId);
  const doc = _id ? await fileModel(scope.conn, scope.collection).findById(_id).lean<FileDoc>() : null;
  // The key check is defence in depth: a record in this database always has this tenant's prefix.
  if (!doc || !kinds.includes(doc.kind) || !doc.key.startsWith(tenantPrefix(scope.tenantId))) throw notFound('File');
  return doc;
}

/**
 * Looks at what was uploaded: missing → refused (the URL may still be used); another size or
 * content type → the object and the record are deleted and the confirm refused. Ready files
 * confirm again without change.
 */
export async function confirmUpload(scope: FileScope, fileId: string, kinds: readonly FileKind[]): Promise<FileDoc> {
  const doc = await findFile(scope, fileId, kinds);
  if (doc.status === 'ready') return doc;
  const found = await scope.store.head(doc.key);
  if (!found) throw badInput('fileId', 'nothing has been uploaded for this file yet: PUT it to uploadUrl first');
  if (found.size !== doc.size || found.contentType.toLowerCase() !== doc.contentType) {
    await removeFile(scope, doc);
    throw badInput('fileId', `the uploaded object (${found.size} bytes, ${found.contentType}) is not what was announced; it was deleted, request a new upload`);
  }
  const confirmedAt = new Date();
  await fileModel(scope.conn, scope.collection).updateOne({ _id: doc._id }, { $set: { status: 'ready', confirmedAt } });
  return { ...doc, status: 'ready', confirmedAt };
}

/** A short-lived GET link of a ready file (null for none or a pending one). */
export async function downloadLink(store: ObjectStore, doc: FileDoc | null) {
  if (!doc || doc.status !== 'ready') return null;
  const spec = FILE_KINDS[doc.kind];
  const ext = doc.contentType.split('/')[1]?.replace(/\+.*/, '') ?? 'bin';
  const disposition = `${spec.disposition}; filename="${spec.segment}-${doc._id.toHexString()}.${ext}"`;
  return {
    url: await store.presignGet(doc.key, disposition, DOWNLOAD_URL_TTL_S),
    expiresAt: new Date(Date.now() + DOWNLOAD_URL_TTL_S * 1000),
    contentType: doc.contentType,
    size: doc.size,
  };
}

/** A file by id for a download field (null when unknown). */
export const fileById = async (conn: Connection, collection: string, fileId: string | null | undefined): Promise<FileDoc | null> => {
  const _id = fileId ? tryParseId(fileId) : null;
  return _id ? fileModel(conn, collection).findById(_id).lean<FileDoc>() : null;
};

/** Per-request batch of a domain's files by id (a list of students with photos: one find). */
export const fileLoader = (ctx: Pick<RequestContext, 'memo' | 'tenantDb'>, collection: string) =>
  byIdLoader<FileDoc>(ctx, `files.${collection}`, { model: async () => fileModel(await ctx.tenantDb(), collection) });

/** The download link of a file of the caller's tenant for a field; null without storage (reads never fail for it). */
export async function fileField(
  ctx: Pick<RequestContext, 'memo' | 'tenantDb'>,
  store: ObjectStore | null,
  collection: string,
  fileId: string | null | undefined,
) {
  if (!store || !fileId) return null;
  return downloadLink(store, await fileLoader(ctx, collection).load(fileId));
}

/** Deletes the object, then its record. */
export async function removeFile(scope: Pick<FileScope, 'conn' | 'collection' | 'store'>, doc: FileDoc): Promise<void> {
  await scope.store.remove(doc.key);
  await fileModel(scope.conn, scope.collection).deleteOne({ _id: doc._id });
}

/**
 * Everything an owner has of these kinds: every object under its prefixes (confirmed or
 * not: an upload never confirmed leaves an object too), then the records. Returns the objects deleted.
 */
export async function removeOwnerFiles(scope: Pick<FileScope, 'conn' | 'collection' | 'store' | 'tenantId'>, kinds: readonly FileKind[], ownerId: string) {
  let removed = 0;
  for (const kind of kinds) {
    for (const o of await scope.store.list(ownerPrefix(scope.tenantId, kind, ownerId))) {
      await scope.store.remove(o.key);
      removed++;
    }
  }
  await fileModel(scope.conn, scope.collection).deleteMany({ ownerId, kind: trusted({ $in: [...kinds] }) });
  return removed;
}

/** The newest ready file of an owner and kind (domains that keep no pointer of their own: logos, library photos). */
export const currentFile = (conn: Connection, collection: string, kind: FileKind, ownerId: string) =>
  fileModel(conn, collection).findOne({ ownerId, kind, status: 'ready' }).sort({ confirmedAt: -1, _id: -1 }).lean<FileDoc>();

/** After a confirm: the owner's other ready files of that kind are replaced, so they are deleted. */
export async function removeReplaced(scope: FileScope, kept: FileDoc): Promise<void> {
  const others = await fileModel(scope.conn, scope.collection)
    .find({ ownerId: kept.ownerId, kind: kept.kind, status: 'ready', _id: trusted({ $ne: kept._id }) })
    .lean<FileDoc[]>();
  for (const doc of others) await removeFile(scope, doc);
}
