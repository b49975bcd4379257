/**
 * One esbuild bundling of a browser app for the gateway (explorer, dashboard): hashed
 * names, precompressed .gz twins of the script and stylesheet, a manifest.json the
 * gateway reads, built into a temporary dir and swapped in, so a running gateway never
 * serves half a bundle.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { MANIFEST_FILE } from '../gateway/explorer/assets';

export interface BundleManifest {
  js: string;
  css: string;
  files: string[];
}

export interface BundleResult {
  manifest: BundleManifest;
  /** Total bytes of all emitted files (uncompressed). */
  bytes: number;
  /** Bytes of the gzip twins of the script and stylesheet. */
  gzipBytes: number;
  ms: number;
}

export interface BundleApp {
  root: string;
  /** Entry name (the hashed files start with it) and its source file. */
  name: string;
  entry: string;
  outDir: string;
  /** esbuild options beyond the shared ones (loaders, asset names). */
  options?: BuildOptions;
}

/** True when outDir has a manifest newer than every input file. */
export function bundleIsFresh(outDir: string, inputs: string[]): boolean {
  const manifest = join(outDir, MANIFEST_FILE);
  return existsSync(manifest) && statSync(manifest).mtimeMs >= Math.max(...inputs.filter(existsSync).map((f) => statSync(f).mtimeMs));
}

export async function bundleApp(app: BundleApp): Promise<BundleResult> {
  const started = Date.now();
  const tmpDir = `${app.outDir}.tmp-${process.pid}`;
  try {
    rmSync(tmpDir, { recursive: true, force: true });
    const result = await build({
      absWorkingDir: app.root,
      entryPoints: { [app.name]: app.entry },
      outdir: tmpDir,
      entryNames: '[name]-[hash]',
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      jsx: 'automatic',
      // React picks its production build from this.
      define: { 'process.env.NODE_ENV': '"production"' },
      legalComments: 'linked',
      logLevel: 'warning',
      ...app.options,
      metafile: true,
    });
    const outputs = Object.entries(result.metafile.outputs);
    const entry = outputs.find(([, o]) => o.entryPoint !== undefined);
    if (!entry || !entry[1].cssBundle) throw new Error('esbuild produced no entry script or stylesheet');
    const manifest: BundleManifest = { js: basename(entry[0]), css: basename(entry[1].cssBundle), files: outputs.map(([p]) => basename(p)).sort() };
    // Precompressed twins, served to browsers that accept gzip.
    let gzipBytes = 0;
    for (const file of [manifest.js, manifest.css]) {
      const gz = gzipSync(readFileSync(join(tmpDir, file)), { level: 9 });
      writeFileSync(join(tmpDir, `${file}.gz`), gz);
      gzipBytes += gz.length;
    }
    writeFileSync(join(tmpDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(join(app.outDir, '..'), { recursive: true });
    rmSync(app.outDir, { recursive: true, force: true });
    renameSync(tmpDir, app.outDir);
    return { manifest, bytes: outputs.reduce((sum, [, o]) => sum + o.bytes, 0), gzipBytes, ms: Date.now() - started };
  } finally {
    rmSync(tmpDir, { recursive: true, force: true }); // left over only when the build failed
  }
}
