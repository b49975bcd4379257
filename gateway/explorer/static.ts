import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { explorerAssetsDir, readManifest, type ExplorerManifest } from './assets';

/** Hashed file names never change content, so browsers may keep them for a year. */
const ASSET_CACHE = { maxAge: '365d', immutable: true } as const;

/**
 * GET /assets/:file of a bundle (explorer, dashboard): only files the build
 * listed (no path tricks, no manifest), and the build's precompressed .gz twin
 * when the browser accepts gzip (the gateway has no compression middleware;
 * GraphiQL's script is ~1.2 MB raw).
 */
export function bundleAssets(dir: () => string, manifest: () => ExplorerManifest | undefined): RequestHandler {
  return (req: Request, res: Response): void => {
    const file = String(req.params.file);
    if (!manifest()?.files.includes(file)) return void res.status(404).type('text/plain').send('Not found');
    const path = join(dir(), file);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.acceptsEncodings('gzip') === 'gzip' && existsSync(`${path}.gz`)) {
      // Content-Type from the real extension; send() keeps a type that is already set.
      res.type(extname(file)).setHeader('Content-Encoding', 'gzip');
      return void res.sendFile(`${path}.gz`, ASSET_CACHE);
    }
    res.sendFile(path, ASSET_CACHE);
  };
}

export const serveAsset = bundleAssets(explorerAssetsDir, () => readManifest());
