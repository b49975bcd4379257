import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { composeSupergraph, printSubgraphSdls } from '../../scripts/schema-tools';
import { supergraphCacheFile, testRunId } from './test-run';

/**
 * The supergraph composed from the code under test, once per jest run instead of once per
 * gateway (printing five subgraphs and composing them took ~2 s of each startSystem()).
 * tests/schema.test.ts still composes afresh and compares with the checked-in file.
 */
export async function testSupergraph(): Promise<string> {
  const runId = testRunId();
  if (runId) {
    try {
      return await readFile(supergraphCacheFile(runId), 'utf8');
    } catch {
      // the first gateway of this run: compose below
    }
  }
  const sdl = composeSupergraph(await printSubgraphSdls());
  if (runId) {
    // Write then rename, so a parallel worker never reads half a file.
    const file = supergraphCacheFile(runId);
    const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}`;
    await writeFile(tmp, sdl);
    await rename(tmp, file);
  }
  return sdl;
}
