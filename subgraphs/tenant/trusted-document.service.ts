import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { trusted, type Connection } from 'mongoose';
import { buildSchema, Kind, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { TenantContext } from './context';
import { AppError, badInput, notFound } from '../../core/errors';
import { schemaPath } from '../../core/paths';
import { MAX_DOCUMENT_LENGTH, SHA256_HEX, type RegisterTrustedDocumentsInput } from './trusted-document.input';
import { trustedDocumentModel, type TrustedDocumentDoc } from './trusted-document.model';
import { isOnlyDuplicateKeys } from '../../core/store/duplicate-key';

/** Registered documents per tenant: a manifest of a few hundred operations fits many times over. */
export const MAX_TRUSTED_DOCUMENTS = 2000;

export const documentHash = (document: string) => createHash('sha256').update(document).digest('hex');

let publicSchema: GraphQLSchema | undefined;
/** The partner contract (schema/public.graphql, printed by `npm run schema:print`): what partners can run. */
const contract = () => (publicSchema ??= buildSchema(readFileSync(schemaPath('public.graphql'), 'utf8')));

/** Parses and validates one document against the partner contract; returns its operation names. */
function check(document: string, field: string): (string | null)[] {
  let ast;
  try {
    ast = parse(document);
  } catch (err) {
    throw badInput(field, `does not parse: ${(err as Error).message}`);
  }
  const errors = validate(contract(), ast);
  if (errors.length) throw badInput(field, `is not valid against the partner API: ${errors[0].message.replace(/ Did you mean .*$/, '')}`);
  const ops = ast.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return ops.map((o) => o.name?.value ?? null);
}

/** A document to register: its text and, optionally, the hash a client manifest gives it. */
export interface DocumentToRegister {
  document: string;
  sha256Hash?: string;
}

/**
 * Registers documents for the tenant's partner keys (the mutation and the CLI):
 * all or nothing (every document is checked before anything is written),
 * idempotent (a document already registered is returned as it is).
 */
export async function registerDocuments(conn: Connection, documents: DocumentToRegister[], createdBy: string, field = 'documents') {
  const prepared = documents.map((d, i) => {
    const at = `${field}[${i}]`;
    if (typeof d.document !== 'string' || !d.document.length || d.document.length > MAX_DOCUMENT_LENGTH) {
      throw badInput(`${at}.document`, `must be 1 to ${MAX_DOCUMENT_LENGTH} characters`);
    }
    const hash = documentHash(d.document);
    if (d.sha256Hash && d.sha256Hash !== hash) throw badInput(`${at}.sha256Hash`, 'does not match the SHA-256 of the document');
    return { hash, document: d.document, operationNames: check(d.document, `${at}.document`) };
  });
  const unique = [...new Map(prepared.map((p) => [p.hash, p])).values()];
  const Model = trustedDocumentModel(conn);
  // trusted(): the connection sanitizes filters ($-keys), and these hashes are our own.
  const hashes = trusted({ $in: unique.map((p) => p.hash) });
  const known = new Set((await Model.find({ hash: hashes }, { hash: 1 }).lean()).map((d) => d.hash));
  const fresh = unique.filter((p) => !known.has(p.hash));
  if (fresh.length && (await Model.countDocuments()) + fresh.length > MAX_TRUSTED_DOCUMENTS) {
    throw new AppError('LIMIT_EXCEEDED', `At most ${MAX_TRUSTED_DOCUMENTS} trusted documents per tenant; remove unused ones first`, {
      limit: MAX_TRUSTED_DOCUMENTS,
    });
  }
  try {
    if (fresh.length)
      await Model.insertMany(
        fresh.map((p) => ({ ...p, createdBy })),
        { ordered: false },
      );
  } catch (err) {
    // A concurrent registration of the same document won: it is registered either way.
    if (!isOnlyDuplicateKeys(err)) throw err;
  }
  const docs = await Model.find({ hash: hashes }).lean<TrustedDocumentDoc[]>();
  const byHash = new Map(docs.map((d) => [d.hash, d]));
  return prepared.map((p) => toTrustedDocument(byHash.get(p.hash)!));
}

export async function registerTrustedDocuments(ctx: TenantContext, input: RegisterTrustedDocumentsInput) {
  return registerDocuments(await ctx.tenantDb(), input.documents, ctx.auth!.sub, 'input.documents');
}

export async function listDocuments(conn: Connection, first = MAX_TRUSTED_DOCUMENTS) {
  const docs = await trustedDocumentModel(conn).find({}).sort({ createdAt: -1 }).limit(first).lean<TrustedDocumentDoc[]>();
  return docs.map(toTrustedDocument);
}

export async function listTrustedDocuments(ctx: TenantContext, first: number) {
  return listDocuments(await ctx.tenantDb(), first);
}

/** Partner keys in trusted-documents mode can no longer run it (at once: the gateway does not cache documents). */
export async function removeDocument(conn: Connection, sha256Hash: string) {
  const Model = trustedDocumentModel(conn);
  const doc = await Model.findOne({ hash: sha256Hash }).lean<TrustedDocumentDoc>();
  if (!doc) throw notFound('Trusted document');
  // deleteMany: a tenant not yet migrated (004) may hold a concurrent duplicate.
  await Model.deleteMany({ hash: sha256Hash });
  return toTrustedDocument(doc);
}

export async function removeTrustedDocument(ctx: TenantContext, sha256Hash: string) {
  return removeDocument(await ctx.tenantDb(), sha256Hash);
}

/** Internal, for the gateway's partner endpoint: the registered text of a hash in the caller's tenant, or null. */
export async function trustedDocumentSource(ctx: TenantContext, sha256Hash: string): Promise<string | null> {
  if (!SHA256_HEX.test(sha256Hash)) return null;
  const doc = await trustedDocumentModel(await ctx.tenantDb())
    .findOne({ hash: sha256Hash }, { document: 1 })
    .lean<Pick<TrustedDocumentDoc, 'document'>>();
  return doc?.document ?? null;
}

export const toTrustedDocument = (d: TrustedDocumentDoc) => ({
  sha256Hash: d.hash,
  document: d.document,
  operationNames: d.operationNames,
  createdAt: d.createdAt,
});
