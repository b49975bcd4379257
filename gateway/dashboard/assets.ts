import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/paths';
import { MANIFEST_FILE, type ExplorerManifest } from '../explorer/assets';

/** Same shape as the explorer's: entry script, stylesheet, every emitted file. */
export type DashboardManifest = ExplorerManifest;

/** `<repo>/dist/dashboard-assets`, written by scripts/build-dashboard.ts. */
export function dashboardAssetsDir(): string {
  return join(projectRoot(), 'dist', 'dashboard-assets');
}

/** The current manifest, or undefined when the bundle has not been built. */
export function readDashboardManifest(dir = dashboardAssetsDir()): DashboardManifest | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DashboardManifest;
}
