import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from compiled (dist/) or source (ts-jest) locations alike. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
  return dir;
}

export const schemaPath = (file: string) => join(projectRoot(), 'schema', file);
