/**
 * Bundles the dashboard browser app in dashboard/ (React + graphql-ws client from npm)
 * with esbuild into dist/dashboard-assets/ (hashed names, .gz twins, manifest.json).
 * Run by `npm run build`; tests call ensureDashboardBundle() (CI only runs `npm ci`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { projectRoot } from '../core/paths';
import { MANIFEST_FILE } from '../gateway/explorer/assets';
import { dashboardAssetsDir, readDashboardManifest, type DashboardManifest } from '../gateway/dashboard/assets';

/** Newest modification time among the inputs that change the bundle. */
function newestInputMtime(root: string): number {
  const files = [join(root, 'package-lock.json'), join(root, 'scripts', 'build-dashboard.ts'), join(root, 'gateway', 'dashboard', 'config.ts')];
  for (const entry of readdirSync(join(root, 'dashboard'), { withFileTypes: true })) {
    if (entry.isFile()) files.push(join(root, 'dashboard', entry.name));
  }
  return Math.max(...files.filter(existsSync).map((f) => statSync(f).mtimeMs));
}

export function dashboardBundleIsFresh(root = projectRoot(), outDir = dashboardAssetsDir()): boolean {
  const manifest = join(outDir, MANIFEST_FILE);
  return existsSync(manifest) && statSync(manifest).mtimeMs >= newestInputMtime(root);
}

/** Builds into a temporary dir, then swaps it in, so a running gateway never serves half a bundle. */
export async function buildDashboard(root = projectRoot(), outDir = dashboardAssetsDir()): Promise<{ manifest: DashboardManifest; bytes: number; ms: number }> {
  const started = Date.now();
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  try {
    rmSync(tmpDir, { recursive: true, force: true });
    const result = await build({
      absWorkingDir: root,
      entryPoints: { dashboard: join(root, 'dashboard', 'main.tsx') },
      outdir: tmpDir,
      entryNames: '[name]-[hash]',
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      legalComments: 'linked',
      metafile: true,
      logLevel: 'warning',
    });
    const outputs = Object.entries(result.metafile.outputs);
    const entry = outputs.find(([, o]) => o.entryPoint !== undefined);
    if (!entry || !entry[1].cssBundle) throw new Error('esbuild produced no entry script or stylesheet');
    const manifest: DashboardManifest = { js: basename(entry[0]), css: basename(entry[1].cssBundle), files: outputs.map(([p]) => basename(p)).sort() };
    for (const file of [manifest.js, manifest.css]) writeFileSync(join(tmpDir, `${file}.gz`), gzipSync(readFileSync(join(tmpDir, file)), { level: 9 }));
    writeFileSync(join(tmpDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(join(outDir, '..'), { recursive: true });
    rmSync(outDir, { recursive: true, force: true });
    renameSync(tmpDir, outDir);
    return { manifest, bytes: outputs.reduce((sum, [, o]) => sum + o.bytes, 0), ms: Date.now() - started };
  } finally {
    rmSync(tmpDir, { recursive: true, force: true }); // left over only when the build failed
  }
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
