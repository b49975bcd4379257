import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, populate } from 'dotenv';

/**
 * Loads `.env` from the working directory into `env` (npm start, the CLI). Variables already
 * set win: a `.env` never overrides the real environment. Returns the file read, if any.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, dir = process.cwd()): string | undefined {
  const path = join(dir, '.env');
  if (!existsSync(path)) return undefined;
  populate(env as Record<string, string>, parse(readFileSync(path)), { override: false });
  return path;
}
