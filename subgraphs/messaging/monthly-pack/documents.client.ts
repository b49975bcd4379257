import type { SubgraphName } from '../../../core/config';
import { signDocumentLink, type DocumentFormatName } from '../../../core/documents/link';
import { addDays, addMonths } from '../../../core/tenant-time';
import { signingHeaders } from '../../../core/security/signing';
import type { MessagingDeps } from '../context';

/** A document of another subgraph, rendered by its GET /documents/:token (core/documents). */
export interface PackDocument {
  subgraph: SubgraphName;
  /** The renderer's name in that subgraph (useDocumentRoutes). */
  kind: string;
  params: Record<string, unknown>;
  format: DocumentFormatName;
  fileName: string;
}

export interface PackInput {
  month: string;
  libraries: { id: string; name: string }[];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'library';

/**
 * What the monthly pack attaches, in order: each entry names documents other subgraphs
 * render (the same renderers as their GraphQL document links). Add a document by adding an
 * entry; a kind its subgraph does not (yet) render answers 404 and is left out of the mail.
 */
export const PACK_SOURCES: readonly ((input: PackInput) => PackDocument[])[] = [
  // billing: the month's payment and dues registers (every library: no scope in the params).
  ({ month }) => [
    { subgraph: 'billing', kind: 'payment-register', params: { month }, format: 'PDF', fileName: `payment-register-${month}.pdf` },
    { subgraph: 'billing', kind: 'dues-register', params: { month }, format: 'PDF', fileName: `dues-register-${month}.pdf` },
  ],
  // student: one attendance sheet per library.
  ({ month, libraries }) =>
    libraries.map((l) => ({
      subgraph: 'student',
      kind: 'attendance-sheet',
      params: { libraryId: l.id, month },
      format: 'PDF',
      fileName: `attendance-${month}-${slug(l.name)}.pdf`,
    })),
  // credits: the month's statement.
  ({ month }) => [
    {
      subgraph: 'credits',
      kind: 'credit-statement',
      params: { from: `${month}-01`, to: addDays(addMonths(`${month}-01`, 1), -1) },
      format: 'PDF',
      fileName: `credit-statement-${month}.pdf`,
    },
  ],
];

/** Long enough to render the pack's documents one after the other. */
const LINK_TTL_SECONDS = 600;

/**
 * Renders a document of another subgraph over the internal network: a link signed here
 * (the JWT ring every service shares, as the gateway's links), fetched from the subgraph
 * directly (signed like internal calls). Null when the subgraph does not render that kind (404).
 */
export async function fetchDocument(deps: MessagingDeps, tenantId: string, doc: PackDocument): Promise<Buffer | null> {
  const url = deps.config.subgraphUrls[doc.subgraph];
  if (!url) throw new Error(`No URL configured for subgraph ${doc.subgraph}`);
  const { token } = signDocumentLink(deps.config.security.jwtKeys, {
    tenantId,
    subgraph: doc.subgraph,
    kind: doc.kind,
    params: doc.params,
    userId: 'service:messaging-monthly-pack',
    format: doc.format,
    fileName: doc.fileName,
    ttlSeconds: LINK_TTL_SECONDS,
  });
  const res = await fetch(`${url.replace(/\/graphql\/?$/, '')}/documents/${token}`, {
    headers: signingHeaders(deps.config, ''),
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  if (res.status !== 200) throw new Error(`${doc.subgraph} answered ${res.status} for ${doc.kind}`);
  return Buffer.from(await res.arrayBuffer());
}
