import { runFuzz } from '../scripts/fuzz/hostile';
import { runLoad } from '../scripts/fuzz/load';
import { runProbes } from '../scripts/fuzz/probes';
import { startFuzzSystem, type FuzzSystem } from '../scripts/fuzz/setup';
import { snapshotTenant } from './helpers/snapshot';

// The CI-sized run of `npm run fuzz` (same code, smaller counts; seed varies per run, printed on failure).
const n = (name: string, def: number) => Number(process.env[name] ?? def);
const SEED = n('FUZZ_SEED', Date.now() % 100000);
let fz: FuzzSystem;

beforeAll(async () => {
  fz = await startFuzzSystem();
}, 120_000);
afterAll(() => fz?.sys.stop());

it(`hostile operations (seed ${SEED}): no crash, no leak, every rejection coded`, async () => {
  const r = await runFuzz(fz.fuzz, n('FUZZ_CASES', 200), SEED);
  expect(r.sent).toBe(n('FUZZ_CASES', 200));
  expect(r.leaks).toEqual([]);
  expect(r.unclear).toEqual([]);
  expect(r.unanswered).toEqual([]);
  expect(r.healthFailures).toBe(0);
  // Every family of attack was actually sent, and most were refused.
  expect(Object.keys(r.byKind).length).toBeGreaterThanOrEqual(12);
  expect(r.byCode.OK ?? 0).toBeLessThan(r.sent / 4);
}, 120_000);

it(`cross-tenant probes (seed ${SEED}): nothing of the victim is read or changed`, async () => {
  const before = await snapshotTenant(fz.sys, fz.probes.victim.slug);
  const r = await runProbes(fz.probes, n('FUZZ_PROBES', 300), SEED);
  expect(r.leaks).toEqual([]);
  expect(r.failures).toEqual([]);
  expect(Object.keys(r.byKind).sort()).toEqual(['_entities', 'mutation', 'query']);
  expect(await snapshotTenant(fz.sys, fz.probes.victim.slug)).toEqual(before);
}, 120_000);

it('mixed load as 3 users: 0 errors', async () => {
  const r = await runLoad(fz.sys.gatewayUrl, await fz.loadTokens(3), fz.studentId, n('LOAD_CONNECTIONS', 20), n('LOAD_SECONDS', 5));
  expect(r.requests).toBeGreaterThan(0);
  expect({ non2xx: r.non2xx, graphqlErrors: r.graphqlErrors, transport: r.transportErrors, timeouts: r.timeouts, first: r.firstError }).toEqual({
    non2xx: 0,
    graphqlErrors: 0,
    transport: 0,
    timeouts: 0,
    first: undefined,
  });
});
