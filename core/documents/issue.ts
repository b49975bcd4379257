import type { SubgraphName } from '../config';
import type { RequestContext } from '../context';
import { unauthenticated } from '../errors';
import { CONTENT_TYPES, signDocumentLink, type DocumentFormatName } from './link';
import type { DocumentLink } from './link.type';

export interface IssueDocument {
  /** The renderer's name in this subgraph's `useDocumentRoutes({ renderers })`. */
  kind: string;
  params: Record<string, unknown>;
  format: DocumentFormatName;
  fileName: string;
  ttlSeconds?: number;
}

/** Path of the gateway's download route for a token. */
export const documentPath = (token: string) => `/documents/${token}`;

/**
 * A download link for the caller's tenant, rendered by this subgraph: called by a
 * resolver whose field the shield already allowed (the permission and branch scope are
 * checked here, at issuance; the link's short life keeps that decision current).
 */
export async function issueDocumentLink(ctx: RequestContext, doc: IssueDocument): Promise<DocumentLink> {
  if (!ctx.auth) throw ctx.authError ?? unauthenticated();
  const tenant = await ctx.tenant();
  const { token, expiresAt } = signDocumentLink(ctx.config.security.jwtKeys, {
    tenantId: tenant._id.toHexString(),
    subgraph: ctx.service as SubgraphName,
    kind: doc.kind,
    params: doc.params,
    userId: ctx.auth.sub,
    format: doc.format,
    fileName: doc.fileName,
    ttlSeconds: doc.ttlSeconds,
  });
  return { url: documentPath(token), fileName: doc.fileName, contentType: CONTENT_TYPES[doc.format], expiresAt };
}
