/**
 * Bundles the browser app in explorer/ (GraphiQL + React from npm) with esbuild into
 * dist/explorer-assets/, with content-hashed names and a manifest.json the gateway reads.
 * Run by `npm run build`; tests import buildExplorer()/ensureExplorerBundle() from source.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { projectRoot } from '../core/paths';
import { explorerAssetsDir, MANIFEST_FILE, readManifest, type ExplorerManifest } from '../gateway/explorer/assets';

export interface BuildResult {
  manifest: ExplorerManifest;
  /** Total bytes of all emitted files (uncompressed). */
  bytes: number;
  /** Bytes of the gzip twins of the script and stylesheet. */
  gzipBytes: number;
  ms: number;
}

/** Newest modification time among the inputs that change the bundle. */
function newestInputMtime(root: string): number {
  const files: string[] = [join(root, 'package-lock.json'), join(root, 'scripts', 'build-explorer.ts'), join(root, 'gateway', 'explorer', 'config.ts')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(root, 'explorer'));
  return Math.max(...files.filter(existsSync).map((f) => statSync(f).mtimeMs));
}

/** True when dist/explorer-assets has a manifest newer than every input. */
export function explorerBundleIsFresh(root = projectRoot(), outDir = explorerAssetsDir()): boolean {
  const manifest = join(outDir, MANIFEST_FILE);
  return existsSync(manifest) && statSync(manifest).mtimeMs >= newestInputMtime(root);
}

/** Builds into a temporary dir, then swaps it in, so a running gateway never serves half a bundle. */
export async function buildExplorer(root = projectRoot(), outDir = explorerAssetsDir()): Promise<BuildResult> {
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  try {
    return await buildInto(root, tmpDir, outDir);
  } finally {
    rmSync(tmpDir, { recursive: true, force: true }); // left over only when the build failed
  }
}

async function buildInto(root: string, tmpDir: string, outDir: string): Promise<BuildResult> {
  const started = Date.now();
  rmSync(tmpDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { explorer: join(root, 'explorer', 'main.tsx') },
    outdir: tmpDir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    jsx: 'automatic',
    // React and GraphiQL pick their production builds from this.
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint !== undefined);
  if (!entry || !entry[1].cssBundle) throw new Error('esbuild produced no entry script or stylesheet');
  const manifest: ExplorerManifest = {
    js: basename(entry[0]),
    css: basename(entry[1].cssBundle),
    files: outputs.map(([path]) => basename(path)).sort(),
  };
  // Precompressed twins, served by the router to browsers that accept gzip.
  let gzipBytes = 0;
  for (const file of [manifest.js, manifest.css]) {
    const gz = gzipSync(readFileSync(join(tmpDir, file)), { level: 9 });
    writeFileSync(join(tmpDir, `${file}.gz`), gz);
    gzipBytes += gz.length;
  }
  writeFileSync(join(tmpDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(join(outDir, '..'), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmpDir, outDir);
  const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
  return { manifest, bytes, gzipBytes, ms: Date.now() - started };
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
