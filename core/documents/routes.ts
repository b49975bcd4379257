import { randomUUID } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { signAccessToken } from '../auth/tokens';
import { createContext, type ContextDeps, type RequestContext } from '../context';
import { AppError, notFound } from '../errors';
import { SERVICE_ROLE } from '../permissions/catalog';
import { requireSignature } from '../security/signing';
import { sendHttpError } from '../server/http-errors';
import { findTenant } from '../tenancy/registry';
import { assertTenantUsable } from '../tenancy/tenant-db';
import { CONTENT_TYPES, verifyDocumentLink, type DocumentFormatName, type DocumentLinkPayload } from './link';

/** What a renderer gets: the verified link and the response to stream the file into (headers are set). */
export interface DocumentJob {
  link: DocumentLinkPayload;
  params: Record<string, unknown>;
  format: DocumentFormatName;
  /** The HTTP response: pipe a pdfkit document into it, or give it to an exceljs WorkbookWriter as `stream`. */
  out: Response;
  /** Aborted when the client goes away before the file is complete: stop reading (inBatches takes it). */
  signal: AbortSignal;
}

export interface DocumentRenderer<S extends object = Readonly<Record<string, unknown>>> {
  formats: readonly DocumentFormatName[];
  /**
   * Loads what it needs from `ctx.tenantDb()` (the link's tenant only), then streams the file into
   * `job.out`. Throwing before the first byte answers a JSON error (e.g. NOT_FOUND); after it, the
   * connection is cut so a partial file never looks complete.
   */
  render(ctx: RequestContext<S>, job: DocumentJob): Promise<void>;
}

export interface DocumentRoutesOptions<S extends object> {
  /** Renderers by kind: the `kind` a link names (issueDocumentLink). */
  renderers: Readonly<Record<string, DocumentRenderer<S>>>;
}

/** Life of the service token a renderer's internal calls carry (e.g. a student's name). */
const RENDER_TOKEN_TTL_SECONDS = 300;

/**
 * The context a document is rendered in: the link's tenant (active, else refused) acting as
 * this service, like webhooks and jobs do (a short-lived `service` token for that tenant, so
 * internal calls are checked by the callee). Isolation: `ctx.tenantDb()` can only be that tenant's.
 */
async function documentContext<S extends object>(deps: ContextDeps<S>, link: DocumentLinkPayload): Promise<RequestContext<S>> {
  const tenant = await findTenant(deps.db.platform(), { id: link.tenantId });
  if (!tenant) throw notFound('Tenant');
  assertTenantUsable(tenant);
  const token = signAccessToken(
    { sub: `service:${deps.service}-documents`, role: SERVICE_ROLE, tid: link.tenantId, tsl: tenant.slug },
    deps.config.security.jwtKeys,
    RENDER_TOKEN_TTL_SECONDS,
  );
  return createContext(deps, { authorization: `Bearer ${token}`, 'x-request-id': `documents-${randomUUID()}` });
}

/**
 * GET /documents/:token on a subgraph that renders documents (reached through the gateway's
 * route of the same path). The token is the only credential: it names the tenant, the kind
 * and the parameters, signed when the link was issued; this service must be the one it names.
 */
export function useDocumentRoutes<S extends object>(options: DocumentRoutesOptions<S>) {
  return (app: Express, deps: ContextDeps<S>): void => {
    app.get('/documents/:token', requireSignature(deps.config), (req: Request, res: Response) => {
      let log = deps.log;
      // The client went away before the file was complete: renderers stop reading.
      const gone = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      const run = async () => {
        const link = verifyDocumentLink(deps.config.security.jwtKeys, String(req.params.token));
        const renderer = link.subgraph === deps.service ? options.renderers[link.kind] : undefined;
        if (!renderer || !renderer.formats.includes(link.format)) throw notFound('Document');
        const ctx = await documentContext(deps, link);
        log = ctx.log.child({ document: link.kind, format: link.format, issuedTo: link.userId });
        res.status(200).set({
          'content-type': CONTENT_TYPES[link.format],
          'content-disposition': `attachment; filename="${link.fileName.replace(/[^\w.-]/g, '_')}"`,
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
        });
        await renderer.render(ctx, { link, params: link.params, format: link.format, out: res, signal: gone.signal });
        log.info(gone.signal.aborted ? 'document abandoned by the client' : 'document rendered');
      };
      run().catch((err: unknown) => {
        if (gone.signal.aborted) return void log.info('document abandoned by the client');
        if (!res.headersSent) res.removeHeader('content-disposition');
        if (!(err instanceof AppError)) log.error({ err, path: '/documents/:token' }, 'document failed');
        sendHttpError(res, err);
      });
    });
  };
}
