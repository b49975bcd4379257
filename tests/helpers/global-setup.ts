import { newTestRun } from './test-run';

/**
 * Tests always run against a real MongoDB wire-protocol server: MONGODB_URI when
 * set (CI points it at FerretDB), otherwise an embedded mongodb-memory-server.
 */
export default async function globalSetup(): Promise<void> {
  newTestRun();
  if (process.env.MONGODB_URI) return;
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create();
  (globalThis as { __MONGO__?: unknown }).__MONGO__ = server;
  process.env.MONGODB_URI = server.getUri();
}
