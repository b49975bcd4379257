import { Router, type Request, type Response } from 'express';
import { readManifest } from './assets';
import { renderChangelog } from './changelog';
import { PAGE_TITLE, type ExplorerPageConfig } from './config';
import { renderBundleNotBuilt } from './html';
import { renderPage } from './page';
import { securityHeaders } from './security';
import { serveAsset } from './static';

export interface ExplorerOptions {
  /** Public API version shown on the page. */
  version: string;
  /** Where the page links the changelog. */
  changelogUrl: string;
  /** Endpoint the explorer sends operations to. */
  endpoint: string;
}

const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * The self-hosted partner explorer (GraphiQL bundled from npm, no CDN).
 * Deliberately logs nothing: the API key travels in a request header on the
 * partner endpoint, and nothing here should ever be tempted to print headers.
 */
export function explorerRouter(opts: ExplorerOptions): Router {
  const router = Router();
  const config: ExplorerPageConfig = { version: opts.version, changelogUrl: opts.changelogUrl, endpoint: opts.endpoint };
  router.use(securityHeaders);

  router.get('/', (req: Request, res: Response) => {
    // Read per request: the bundle may be (re)built while the gateway runs (tests, dev).
    const manifest = readManifest();
    res.setHeader('Cache-Control', 'no-cache');
    res.type(HTML_TYPE);
    if (!manifest) return void res.status(503).send(renderBundleNotBuilt(PAGE_TITLE, 'explorer'));
    res.send(renderPage(config, manifest, `${req.baseUrl}/assets`));
  });

  router.get('/changelog', (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type(HTML_TYPE).send(renderChangelog(opts.version, req.baseUrl || '/'));
  });

  router.get('/assets/:file', serveAsset);

  return router;
}
