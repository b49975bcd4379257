import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { SubgraphName } from '../config';
import { SUBGRAPH_NAMES } from '../config';
import { AppError } from '../errors';
import type { JwtKey } from '../security/config';

/** Formats a document can be rendered in (GraphQL enum DocumentFormat). */
export const DOCUMENT_FORMATS = ['PDF', 'XLSX'] as const;
export type DocumentFormatName = (typeof DOCUMENT_FORMATS)[number];

export const CONTENT_TYPES: Record<DocumentFormatName, string> = {
  PDF: 'application/pdf',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Default life of a download link: long enough to click it, short enough that the
 * permission checked when it was issued still holds when it is used (docs/flows/documents.md).
 */
export const DOCUMENT_LINK_TTL_SECONDS = 300;
/** The longest life a link may be given (a monthly pack that takes a while to start). */
export const DOCUMENT_LINK_MAX_TTL_SECONDS = 3600;

/** What a link carries, signed: whose document, of which kind, rendered by whom, until when. */
export interface DocumentLinkInput {
  tenantId: string;
  subgraph: SubgraphName;
  /** The renderer's name in the owning subgraph (`useDocumentRoutes({ renderers })`). */
  kind: string;
  /** The renderer's arguments, decided (and permission/scope-checked) at issuance. No personal data: the token is a URL. */
  params: Record<string, unknown>;
  /** Who asked for it (audit, logs). */
  userId: string;
  format: DocumentFormatName;
  /** The download's file name (content-disposition). */
  fileName: string;
  ttlSeconds?: number;
}

export interface DocumentLinkPayload extends Omit<DocumentLinkInput, 'ttlSeconds'> {
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const VERSION = 'd1';
const derived = new Map<string, Buffer>();

/**
 * The link key: HKDF-SHA256 of a key of the JWT ring (the secret every service already
 * shares to mint and check service tokens for internal calls) with the purpose
 * "document-link", so a link's MAC is never valid as anything else (and vice versa).
 */
function linkKey(key: JwtKey): Buffer {
  const id = `${key.kid}\n${key.secret}`;
  let k = derived.get(id);
  if (!k) derived.set(id, (k = Buffer.from(hkdfSync('sha256', key.secret, 'studyspot-documents', 'document-link', 32))));
  return k;
}

const mac = (key: JwtKey, body: string) => createHmac('sha256', linkKey(key)).update(`${VERSION}.${key.kid}.${body}`).digest();

/** `d1.<kid>.<base64url JSON payload>.<base64url HMAC>`: opaque to clients, readable by every service. */
export function signDocumentLink(ring: readonly JwtKey[], input: DocumentLinkInput, now = Date.now()): { token: string; expiresAt: Date } {
  const ttl = input.ttlSeconds ?? DOCUMENT_LINK_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > DOCUMENT_LINK_MAX_TTL_SECONDS) throw new RangeError(`ttlSeconds must be 1..${DOCUMENT_LINK_MAX_TTL_SECONDS}`);
  const exp = Math.floor(now / 1000) + ttl;
  const payload: DocumentLinkPayload = {
    tenantId: input.tenantId,
    subgraph: input.subgraph,
    kind: input.kind,
    params: input.params,
    userId: input.userId,
    format: input.format,
    fileName: input.fileName,
    exp,
  };
  const key = ring[0];
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { token: `${VERSION}.${key.kid}.${body}.${mac(key, body).toString('base64url')}`, expiresAt: new Date(exp * 1000) };
}

const invalid = () => new AppError('UNAUTHENTICATED', 'Invalid download link', { reason: 'invalid' });

/**
 * The payload of a genuine, unexpired link. Throws UNAUTHENTICATED (extension
 * `reason`: 'invalid' for anything malformed, tampered or signed by an unknown key;
 * 'expired' once past its expiry: the route answers 410 then).
 */
export function verifyDocumentLink(ring: readonly JwtKey[], token: string, now = Date.now()): DocumentLinkPayload {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || token.length > 4096) throw invalid();
  const [, kid, body, sig] = parts;
  const key = ring.find((k) => k.kid === kid);
  if (!key) throw invalid();
  const expected = mac(key, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let p: DocumentLinkPayload;
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as DocumentLinkPayload;
  } catch {
    throw invalid();
  }
  if (
    typeof p !== 'object' ||
    typeof p.tenantId !== 'string' ||
    typeof p.kind !== 'string' ||
    typeof p.exp !== 'number' ||
    typeof p.fileName !== 'string' ||
    !(SUBGRAPH_NAMES as readonly string[]).includes(p.subgraph) ||
    !(DOCUMENT_FORMATS as readonly string[]).includes(p.format)
  ) {
    throw invalid();
  }
  if (now / 1000 >= p.exp) throw new AppError('UNAUTHENTICATED', 'This download link has expired; ask for a new one', { reason: 'expired' });
  return p;
}
