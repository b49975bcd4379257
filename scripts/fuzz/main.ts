import 'reflect-metadata';
import { snapshotTenant } from '../../tests/helpers/snapshot';
import { runFuzz } from './hostile';
import { runLoad } from './load';
import { runProbes } from './probes';
import { printTable, startFuzzSystem } from './setup';

// npm run fuzz — counts from the environment (CI runs a smaller version in tests/fuzz.test.ts).
const num = (name: string, def: number) => Number(process.env[name] ?? def);
const FUZZ_CASES = num('FUZZ_CASES', 5000);
const PROBES = num('FUZZ_PROBES', 10000);
const LOAD_SECONDS = num('LOAD_SECONDS', 60);
const LOAD_CONNECTIONS = num('LOAD_CONNECTIONS', 200);
const SEED = num('FUZZ_SEED', 7);
const LOAD_USERS = num('LOAD_USERS', 20);

async function main() {
  if (!process.env.MONGODB_URI) throw new Error('MONGODB_URI is required (e.g. mongodb://127.0.0.1:27017/)');
  process.env.LOG_LEVEL ??= 'silent';
  const fz = await startFuzzSystem();
  let failed = false;
  try {
    const f = await runFuzz(fz.fuzz, FUZZ_CASES, SEED);
    printTable(`Hostile operations (seed ${SEED})`, [
      ['requests sent', f.sent],
      ['unanswered (crash/hang)', f.unanswered.length],
      ['gateway /health failures', f.healthFailures],
      ['responses leaking internals', f.leaks.length],
      ['unclear rejections (no code / INTERNAL)', f.unclear.length],
      ['heap MB start → end (after GC)', `${f.heapStartMb} → ${f.heapEndMb}`],
      ['rss peak MB', f.rssPeakMb],
      ['seconds', f.seconds],
      ...Object.entries(f.byKind).map(([k, v]) => [`  kind: ${k}`, v] as [string, number]),
      ...Object.entries(f.byCode).map(([k, v]) => [`  code: ${k}`, v] as [string, number]),
    ]);
    [...f.leaks, ...f.unclear, ...f.unanswered].slice(0, 10).forEach((l) => console.log(`  ! ${l}`));
    failed ||= f.leaks.length + f.unclear.length + f.unanswered.length + f.healthFailures > 0;

    const before = await snapshotTenant(fz.sys, fz.probes.victim.slug);
    const p = await runProbes(fz.probes, PROBES, SEED);
    const changed = JSON.stringify(await snapshotTenant(fz.sys, fz.probes.victim.slug)) !== JSON.stringify(before);
    printTable('Cross-tenant probes', [
      ['probes sent', p.sent],
      ['leaks', p.leaks.length],
      ["victim's data changed", changed ? 'YES' : 'no'],
      ['harness failures', p.failures.length],
      ...Object.entries(p.byKind).map(([k, v]) => [`  ${k}`, v] as [string, number]),
    ]);
    [...p.leaks, ...p.failures].slice(0, 10).forEach((l) => console.log(`  ! ${l}`));
    failed ||= p.leaks.length + p.failures.length > 0 || changed;

    const l = await runLoad(fz.sys.gatewayUrl, await fz.loadTokens(LOAD_USERS), fz.studentId, LOAD_CONNECTIONS, LOAD_SECONDS);
    printTable(`Mixed load (${l.connections} clients as ${LOAD_USERS} users, ${l.seconds} s)`, [
      ['requests', l.requests],
      ['requests/s', l.rps],
      ['errors (non-2xx + GraphQL errors + transport + timeouts)', l.non2xx + l.graphqlErrors + l.transportErrors + l.timeouts],
      ['latency p50 / p95 / p99 ms', `${l.p50} / ${l.p95} / ${l.p99}`],
    ]);
    if (l.firstError) console.log(`  ! ${l.firstError}`);
    failed ||= l.non2xx + l.graphqlErrors + l.transportErrors + l.timeouts > 0;
  } finally {
    await fz.sys.stop();
  }
  console.log(failed ? '\nFAILED' : '\nOK');
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
