/**
 * Bundles the browser app in explorer/ (GraphiQL + React from npm) with esbuild into
 * dist/explorer-assets/, with content-hashed names and a manifest.json the gateway reads.
 * Run by `npm run build`; tests import buildExplorer()/ensureExplorerBundle() from source.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/paths';
import { explorerAssetsDir, readManifest, type ExplorerManifest } from '../gateway/explorer/assets';
import { bundleApp, bundleIsFresh, type BundleResult } from './bundle';

export type BuildResult = BundleResult;

/** The inputs that change the bundle. */
function inputFiles(root: string): string[] {
  const files: string[] = [join(root, 'package-lock.json'), join(root, 'scripts', 'build-explorer.ts'), join(root, 'gateway', 'explorer', 'config.ts')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(root, 'explorer'));
  return files;
}

/** True when dist/explorer-assets has a manifest newer than every input. */
export function explorerBundleIsFresh(root = projectRoot(), outDir = explorerAssetsDir()): boolean {
  return bundleIsFresh(outDir, inputFiles(root));
}

export async function buildExplorer(root = projectRoot(), outDir = explorerAssetsDir()): Promise<BuildResult> {
  return bundleApp({
    root,
    name: 'explorer',
    entry: join(root, 'explorer', 'main.tsx'),
    outDir,
    // GraphiQL's fonts and icons.
    options: { assetNames: '[name]-[hash]', loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' } },
  });
}

/** Builds only when the bundle is missing or older than its sources (tests from a fresh clone). */
export async function ensureExplorerBundle(root = projectRoot()): Promise<ExplorerManifest> {
  if (explorerBundleIsFresh(root)) return readManifest()!;
  return (await buildExplorer(root)).manifest;
}

if (require.main === module) {
  buildExplorer()
    .then(({ manifest, bytes, gzipBytes, ms }) => {
      const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
      console.log(`explorer bundle: ${manifest.js}, ${manifest.css}: ${kib(bytes)} (${kib(gzipBytes)} gzip) in ${ms} ms`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
