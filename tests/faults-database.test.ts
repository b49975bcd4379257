import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FerretProcess, freePort, hasFerret } from '../scripts/chaos/ferret';
import { expectMasked } from './helpers/faults';
import { startSystem, type System, type TestTenant } from './helpers/system';

// The whole system on a private FerretDB that we kill -9 and restart (same port, same files).
let ferret: FerretProcess;
let dir: string;
let sys: System;
let t: TestTenant;

const LIBS = `{ libraries { name } }`;
const addLibrary = (name: string) =>
  sys.gql(`mutation($n: String!) { createLibrary(input: { name: $n, capacity: 5 }) { id } }`, { n: name }, { token: t.ownerToken });
const status = async (url: string, route: string) => (await fetch(url.replace('/graphql', route))).status;

beforeAll(async () => {
  if (!hasFerret()) throw new Error('FerretDB binary missing: run .ci/run once (it builds .ci-cache/ferretdb) or set FERRETDB_BIN');
  dir = mkdtempSync(path.join(tmpdir(), 'ss-faults-db-'));
  ferret = new FerretProcess(await freePort(), dir);
  await ferret.start();
  sys = await startSystem({ MONGODB_URI: ferret.uri });
  t = await sys.createTenant('dbdown', { plan: 'professional' });
  expect((await addLibrary('Before outage')).errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await sys?.stop();
  await ferret?.stop('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('database down: clear SERVICE_UNAVAILABLE, no crash, not ready; back: recovers with every acknowledged write', async () => {
  await ferret.stop('SIGKILL');

  const started = Date.now();
  const read = await sys.gql(LIBS, {}, { token: t.ownerToken });
  expect(read.status).toBe(200);
  expect(read.data).toBeNull();
  expectMasked(read.errors, 'SERVICE_UNAVAILABLE');
  expect(read.errors![0].message).toMatch(/temporarily unavailable/);
  // Bounded by the driver (server selection 5 s, buffering 10 s), well inside SUBGRAPH_TIMEOUT_MS.
  expect(Date.now() - started).toBeLessThan(20000);
  const write = await addLibrary('During outage');
  expectMasked(write.errors, 'SERVICE_UNAVAILABLE');

  // Alive but not ready: liveness stays green, readiness goes red everywhere.
  expect(await status(sys.gatewayUrl, '/health')).toBe(200);
  expect(await status(sys.gatewayUrl, '/ready')).toBe(503);
  for (const url of Object.values(sys.subgraphUrls)) expect(await status(url, '/ready')).toBe(503);

  await ferret.start();
  const back = Date.now();
  let res = await sys.gql(LIBS, {}, { token: t.ownerToken });
  while (res.errors && Date.now() - back < 30000) {
    await new Promise((r) => setTimeout(r, 250));
    res = await sys.gql(LIBS, {}, { token: t.ownerToken });
  }
  expect(res.errors).toBeUndefined();
  expect(res.data.libraries).toEqual([{ name: 'Before outage' }]);
  expect((await addLibrary('After outage')).errors).toBeUndefined();
  expect(await status(sys.gatewayUrl, '/ready')).toBe(200);
});
