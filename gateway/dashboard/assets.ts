import { join } from 'node:path';
import { projectRoot } from '../../core/paths';
import { readManifest, type ExplorerManifest } from '../explorer/assets';

/** Same shape as the explorer's: entry script, stylesheet, every emitted file. */
export type DashboardManifest = ExplorerManifest;

/** `<repo>/dist/dashboard-assets`, written by scripts/build-dashboard.ts. */
export function dashboardAssetsDir(): string {
  return join(projectRoot(), 'dist', 'dashboard-assets');
}

/** The current manifest, or undefined when the bundle has not been built. */
export function readDashboardManifest(dir = dashboardAssetsDir()): DashboardManifest | undefined {
  return readManifest(dir);
}
