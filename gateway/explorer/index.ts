import { Router } from 'express';

export interface ExplorerOptions {
  /** Public API version shown on the page. */
  version: string;
  /** Where the page links the changelog. */
  changelogUrl: string;
  /** Endpoint the explorer sends operations to. */
  endpoint: string;
}

/** The self-hosted partner explorer (GraphiQL bundled from npm, no CDN). */
export function explorerRouter(_opts: ExplorerOptions): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.status(503).send('Explorer not built yet'));
  return router;
}
