import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Request, Response } from 'express';
import { dashboardAssetsDir, readDashboardManifest } from './assets';

/** Hashed file names never change content. */
const ASSET_CACHE = { maxAge: '365d', immutable: true } as const;

/** GET /assets/:file: only files the build listed, gzip twin when accepted (as the explorer). */
export function serveDashboardAsset(req: Request, res: Response): void {
  const file = String(req.params.file);
  if (!readDashboardManifest()?.files.includes(file)) return void res.status(404).type('text/plain').send('Not found');
  const path = join(dashboardAssetsDir(), file);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.acceptsEncodings('gzip') === 'gzip' && existsSync(`${path}.gz`)) {
    res.type(extname(file)).setHeader('Content-Encoding', 'gzip');
    return void res.sendFile(`${path}.gz`, ASSET_CACHE);
  }
  res.sendFile(path, ASSET_CACHE);
}
