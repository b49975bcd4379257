import { Router, type Request, type Response } from 'express';
import { securityHeaders } from '../explorer/security';
import { readDashboardManifest } from './assets';
import { DASHBOARD_TITLE, type DashboardPageConfig } from './config';
import { renderBundleNotBuilt } from '../explorer/html';
import { renderDashboardPage } from './page';
import { serveDashboardAsset } from './static';

export interface DashboardOptions {
  /** The gateway's GraphQL path: HTTP queries and graphql-ws subscriptions alike. */
  endpoint: string;
}

/**
 * The realtime operator dashboard (React + graphql-ws bundled from npm, no CDN).
 * Same headers as the explorer: CSP script-src/connect-src 'self' (which in CSP 3
 * includes ws:/wss: to our own host), nosniff, no framing. Logs nothing.
 */
export function dashboardRouter(opts: DashboardOptions): Router {
  const router = Router();
  const config: DashboardPageConfig = { endpoint: opts.endpoint };
  router.use(securityHeaders);

  router.get('/', (req: Request, res: Response) => {
    // Read per request: the bundle may be (re)built while the gateway runs.
    const manifest = readDashboardManifest();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/html; charset=utf-8');
    if (!manifest) return void res.status(503).send(renderBundleNotBuilt(DASHBOARD_TITLE, 'dashboard'));
    res.send(renderDashboardPage(config, manifest, `${req.baseUrl}/assets`));
  });
  router.get('/assets/:file', serveDashboardAsset);
  return router;
}
