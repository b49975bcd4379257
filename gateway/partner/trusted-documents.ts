import { createHash } from 'node:crypto';
import type { ServiceConfig } from '../../core/config';
import type { ErrorCode } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { askTenant } from './tenant.client';

/**
 * Trusted documents for the partner endpoint (docs/partners.md "Trusted documents").
 *
 * Decides which document a partner request runs, before anything is parsed or
 * executed:
 * - the full document (`query`), optionally with `extensions.persistedQuery.sha256Hash`
 *   (then the hash must match it);
 * - or the hash alone: the document registered for the key's tenant with that
 *   SHA-256 (registerTrustedDocuments / `studyspot trusted-documents register`).
 * A key in trusted-documents mode runs only registered documents: anything else is
 * OPERATION_NOT_TRUSTED (HTTP 403). Other keys may still send a registered hash
 * instead of the full text. Registrations live in the tenant subgraph's tenant
 * database; this module asks that subgraph (`trustedDocumentSource`, internal)
 * with the partner's own short-lived token, so it only ever sees its own tenant's.
 * Nothing is cached here: a removed document stops working at once.
 */
export interface TrustedDocumentsOptions {
  config: ServiceConfig;
  log: Logger;
}

/** What the partner sent (the GraphQL-over-HTTP request parameters). */
export interface PartnerParams {
  query?: unknown;
  extensions?: unknown;
}

/** What the key exchange told us about the key. */
export interface PartnerKeySession {
  accessToken: string;
  trustedDocumentsOnly: boolean;
}

export type DocumentDecision = { query: string } | { error: { code: ErrorCode; message: string; status: number } };

const LOOKUP = 'query TrustedDocumentSource($h: String!) { trustedDocumentSource(sha256Hash: $h) }';
const SHA256_HEX = /^[a-f0-9]{64}$/;

const refuse = (code: ErrorCode, message: string, status: number): DocumentDecision => ({ error: { code, message, status } });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hash a request names, null when it names none, or an error for a malformed extension. */
function requestedHash(extensions: unknown): string | null | DocumentDecision {
  if (extensions == null) return null;
  const pq = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (pq == null) return null;
  const { version, sha256Hash } = pq as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return refuse('BAD_USER_INPUT', 'Unsupported persisted query version (expected 1)', 400);
  if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
    return refuse('BAD_USER_INPUT', 'extensions.persistedQuery.sha256Hash must be the SHA-256 of the document (64 lowercase hex characters)', 400);
  }
  return sha256Hash;
}

export function useTrustedDocuments(options: TrustedDocumentsOptions) {
  const { config, log } = options;

  /** The registered document with this hash in the token's tenant, null if none, undefined if the tenant service failed. */
  async function registered(hash: string, accessToken: string): Promise<string | null | undefined> {
    try {
      const { status, body } = await askTenant<{ trustedDocumentSource?: string | null }>(config, LOOKUP, { h: hash }, accessToken);
      if (body.errors?.length || !body.data) throw new Error(`tenant service answered ${status} with errors`);
      return body.data.trustedDocumentSource ?? null;
    } catch (err) {
      log.error({ err }, 'trusted document lookup failed');
      return undefined;
    }
  }

  /** The one check the partner endpoint runs before parsing: which document to run, or why not. */
  return async function resolveDocument(params: PartnerParams, session: PartnerKeySession): Promise<DocumentDecision> {
    const hash = requestedHash(params.extensions);
    if (hash !== null && typeof hash !== 'string') return hash;
    const { query } = params;
    if (query != null && typeof query !== 'string') return refuse('BAD_USER_INPUT', '"query" must be a string', 400);
    if (query == null && hash === null) {
      return refuse('BAD_USER_INPUT', 'Body must be JSON with a "query" string or extensions.persistedQuery.sha256Hash', 400);
    }
    if (typeof query === 'string' && hash !== null && sha256(query) !== hash) {
      return refuse('BAD_USER_INPUT', 'provided sha does not match query', 400);
    }
    // A full document from a key that is not restricted: nothing to look up.
    if (typeof query === 'string' && !session.trustedDocumentsOnly) return { query };

    const source = await registered(hash ?? sha256(query as string), session.accessToken);
    if (source === undefined) return refuse('SERVICE_UNAVAILABLE', 'Service unavailable, try again', 503);
    if (source !== null) return { query: source };
    if (typeof query !== 'string') {
      // Apollo's convention (HTTP 200): a client with a persisted-query link resends the full document.
      return refuse('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', 200);
    }
    return refuse('OPERATION_NOT_TRUSTED', 'This API key runs only operations registered for its tenant (trusted documents); this one is not registered', 403);
  };
}
