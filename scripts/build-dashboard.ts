/**
 * Bundles the dashboard browser app in dashboard/ (React + graphql-ws client from npm)
 * with esbuild into dist/dashboard-assets/ (hashed names, .gz twins, manifest.json).
 * Run by `npm run build`; tests call ensureDashboardBundle() (CI only runs `npm ci`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/paths';
import { dashboardAssetsDir, readDashboardManifest, type DashboardManifest } from '../gateway/dashboard/assets';
import { bundleApp, bundleIsFresh, type BundleResult } from './bundle';

/** The inputs that change the bundle. */
function inputFiles(root: string): string[] {
  const files = [join(root, 'package-lock.json'), join(root, 'scripts', 'build-dashboard.ts'), join(root, 'gateway', 'dashboard', 'config.ts')];
  for (const entry of readdirSync(join(root, 'dashboard'), { withFileTypes: true })) {
    if (entry.isFile()) files.push(join(root, 'dashboard', entry.name));
  }
  return files;
}

export function dashboardBundleIsFresh(root = projectRoot(), outDir = dashboardAssetsDir()): boolean {
  return bundleIsFresh(outDir, inputFiles(root));
}

export async function buildDashboard(root = projectRoot(), outDir = dashboardAssetsDir()): Promise<BundleResult> {
  return bundleApp({ root, name: 'dashboard', entry: join(root, 'dashboard', 'main.tsx'), outDir });
}

/** Builds only when the bundle is missing or older than its sources. */
export async function ensureDashboardBundle(root = projectRoot()): Promise<DashboardManifest> {
  if (dashboardBundleIsFresh(root)) return readDashboardManifest()!;
  return (await buildDashboard(root)).manifest;
}

if (require.main === module) {
  buildDashboard()
    .then(({ manifest, bytes, ms }) => console.log(`dashboard bundle: ${manifest.js}, ${manifest.css}: ${(bytes / 1024).toFixed(0)} KiB in ${ms} ms`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
