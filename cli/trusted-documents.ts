import { readFile } from 'node:fs/promises';
import { AppError } from '../core/errors';
import type { DbManager } from '../core/tenancy/db';
import { apiKeyModel, type ApiKeyDoc } from '../subgraphs/tenant/apikey.model';
import { listDocuments, registerDocuments, removeDocument, type DocumentToRegister } from '../subgraphs/tenant/trusted-document.service';
import { CliError, usage } from './io';
import { findBySlug } from './tenant';

/**
 * The documents in a file: an Apollo persisted query manifest
 * (`@apollo/generate-persisted-query-manifest`: `{ format, version, operations: [{ id, body }] }`,
 * `id` being the SHA-256 of `body`), a JSON array of documents (strings or
 * `{ document, sha256Hash }`), or else the whole file as one GraphQL document.
 */
export function documentsOf(text: string, file: string): DocumentToRegister[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [{ document: text }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // `{ libraries { id } }` is a GraphQL document, not broken JSON.
    if (trimmed.startsWith('{') && !/^\{\s*"/.test(trimmed)) return [{ document: text }];
    throw usage(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const manifest = parsed as { format?: unknown; operations?: unknown };
  if (!Array.isArray(parsed) && manifest.format === 'apollo-persisted-query-manifest' && Array.isArray(manifest.operations)) {
    return manifest.operations.map((o: { id?: unknown; body?: unknown }, i) => {
      if (typeof o?.body !== 'string') throw usage(`${file}: operations[${i}].body must be a string`);
      return { document: o.body, sha256Hash: typeof o.id === 'string' ? o.id : undefined };
    });
  }
  if (Array.isArray(parsed)) {
    return parsed.map((d: unknown, i) => {
      if (typeof d === 'string') return { document: d };
      const doc = d as { document?: unknown; sha256Hash?: unknown };
      if (typeof doc?.document !== 'string') throw usage(`${file}: [${i}] must be a string or { "document": "...", "sha256Hash"?: "..." }`);
      return { document: doc.document, sha256Hash: typeof doc.sha256Hash === 'string' ? doc.sha256Hash : undefined };
    });
  }
  throw usage(`${file}: expected an Apollo persisted query manifest, a JSON array of documents, or a GraphQL document`);
}

/** The API's own refusals (invalid document, hash mismatch, limit) as operator messages. */
async function asCli<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message);
    throw err;
  }
}

export async function registerFromFile(db: DbManager, slug: string, file: string) {
  const tenant = await findBySlug(db, slug);
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw usage(`Cannot read ${file}: ${err.message}`);
  });
  const documents = documentsOf(text, file);
  if (!documents.length) throw usage(`${file}: no documents`);
  const registered = await asCli(() => registerDocuments(db.tenant(tenant.dbName), documents, 'cli', file));
  return { tenant: slug, registered: registered.map(({ sha256Hash, operationNames }) => ({ sha256Hash, operationNames })) };
}

export async function listForTenant(db: DbManager, slug: string) {
  const tenant = await findBySlug(db, slug);
  const docs = await listDocuments(db.tenant(tenant.dbName));
  return docs.map(({ sha256Hash, operationNames, createdAt }) => ({
    sha256Hash,
    operations: operationNames.map((n) => n ?? '(anonymous)').join(', '),
    createdAt,
  }));
}

export async function removeForTenant(db: DbManager, slug: string, hash: string) {
  const tenant = await findBySlug(db, slug);
  const removed = await asCli(() => removeDocument(db.tenant(tenant.dbName), hash));
  return { tenant: slug, removed: removed.sha256Hash };
}

/** Trusted-documents mode of one of the tenant's keys, found by its prefix (the part after `ssk_`). */
export async function setKeyMode(db: DbManager, slug: string, prefix: string, mode: string) {
  if (mode !== 'on' && mode !== 'off') throw usage(`mode must be "on" or "off", not "${mode}"`);
  const tenant = await findBySlug(db, slug);
  const Keys = apiKeyModel(db.platform());
  const key = await Keys.findOne({ prefix, tenantId: tenant._id.toHexString() }).lean<ApiKeyDoc>();
  if (!key) throw new CliError(`No API key with prefix "${prefix}" in tenant ${slug}`);
  await Keys.updateOne({ _id: key._id }, { $set: { trustedDocumentsOnly: mode === 'on' } });
  return { tenant: slug, key: prefix, name: key.name, trustedDocumentsOnly: mode === 'on' };
}
