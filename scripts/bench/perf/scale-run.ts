import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { JWT_SECRET } from './client';
import { settings } from './compare';
import { benchEnv } from './procs';
import { table } from './report';
import { scaleRun, w4Counts } from './scale';
import { scaleVerdicts } from './targets';

/** `npm run bench:tenants`: W4 alone (issue 19), with its targets. BENCH_W4_TENANTS=1,1000,10000 by default. */
async function main(): Promise<number> {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error('MONGODB_URI is not set, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/ npm run bench:tenants');
    return 2;
  }
  const s = settings();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, load avg ${load}; ${s.rounds} rounds × ${s.roundSeconds} requests/connection`,
  );
  const started = Date.now();
  const scale = await scaleRun(s, benchEnv(uri, `b${randomBytes(3).toString('hex')}_`, JWT_SECRET), w4Counts());
  console.log(scale.text);
  console.log(table('Targets (issue 19)', ['target', 'measured', 'met'], scaleVerdicts(scale.rows)));
  writeFileSync(process.env.BENCH_OUT ?? '/tmp/bench-w4.json', JSON.stringify(scale.rows, null, 2));
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return scale.rows.some((r) => r.errors > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
