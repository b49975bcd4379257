import { endTestRun } from './test-run';

export default async function globalTeardown(): Promise<void> {
  await endTestRun();
  const server = (globalThis as { __MONGO__?: { stop(): Promise<unknown> } }).__MONGO__;
  if (server) await server.stop();
}
