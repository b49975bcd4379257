import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/paths';

/** Written by scripts/build-explorer.ts next to the bundle. */
export const MANIFEST_FILE = 'manifest.json';

/** Output of the esbuild step; file names carry a content hash. */
export interface ExplorerManifest {
  /** Entry script, relative to the assets dir. */
  js: string;
  /** Stylesheet (GraphiQL's plus ours). */
  css: string;
  /** Every file the bundle consists of: the only ones the router serves. */
  files: string[];
}

/** `<repo>/dist/explorer-assets`, from source (ts-jest) and compiled (dist/) code alike. */
export function explorerAssetsDir(): string {
  return join(projectRoot(), 'dist', 'explorer-assets');
}

/** The current manifest, or undefined when the bundle has not been built. */
export function readManifest(dir = explorerAssetsDir()): ExplorerManifest | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ExplorerManifest;
}
