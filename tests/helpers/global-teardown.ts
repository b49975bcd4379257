import { endTestRun } from './test-run';

export default async function globalTeardown(): Promise<void> {
  if (process.env.STUDYSPOT_SHARED_SYSTEM) await (require('./shared-system') as typeof import('./shared-system')).stopSharedSystem(); // eslint-disable-line @typescript-eslint/no-require-imports -- loaded lazily, only when the shared system is used, so unit-test runs load no application
  await endTestRun();
  const server = (globalThis as { __MONGO__?: { stop(): Promise<unknown> } }).__MONGO__;
  if (server) await server.stop();
}
