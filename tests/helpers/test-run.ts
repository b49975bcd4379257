import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Light on purpose: globalSetup/globalTeardown import this without loading the application.

/** Set by globalSetup: one id per jest run, shared with its workers through the environment. */
const RUN_ENV = 'STUDYSPOT_TEST_RUN';

export const testRunId = (): string | undefined => process.env[RUN_ENV];

/** The composed supergraph of this run, written by the first system that needs it. */
export const supergraphCacheFile = (runId: string): string => join(tmpdir(), `studyspot-supergraph-${runId}.graphql`);

export function newTestRun(): void {
  process.env[RUN_ENV] = randomBytes(6).toString('hex');
}

export async function endTestRun(): Promise<void> {
  const runId = testRunId();
  if (runId) await unlink(supergraphCacheFile(runId)).catch(() => undefined);
}
