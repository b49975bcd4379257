import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { newTestRun } from './test-run';

/**
 * Tests always run against a real MongoDB wire-protocol server: MONGODB_URI when
 * set (CI points it at FerretDB), otherwise an embedded mongodb-memory-server.
 * Then the run's shared system (helpers/shared-system.ts), when a selected test file uses it.
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  newTestRun();
  if (!process.env.MONGODB_URI) {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const server = await MongoMemoryServer.create();
    (globalThis as { __MONGO__?: unknown }).__MONGO__ = server;
    process.env.MONGODB_URI = server.getUri();
  }
  if (usesSharedSystem(globalConfig)) await (require('./shared-system') as typeof import('./shared-system')).startSharedSystem(); // eslint-disable-line @typescript-eslint/no-require-imports -- loaded lazily, only when the shared system is used, so unit-test runs load no application
}

/** Whether a test file this run may select calls sharedSystem() (a cheap guess: files matching the path pattern). */
function usesSharedSystem(globalConfig: Config.GlobalConfig): boolean {
  const dir = join(__dirname, '..');
  const pattern = globalConfig.testPathPattern ? new RegExp(globalConfig.testPathPattern, 'i') : null;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f))
    .some((f) => (!pattern || pattern.test(f)) && readFileSync(f, 'utf8').includes('sharedSystem()'));
}
