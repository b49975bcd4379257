import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DbManager } from '../../core/tenancy/db';
import { upsertPlatformUser } from '../../subgraphs/tenant/platform-user.service';
import { Cluster, clusterEnv } from './cluster';
import { FerretProcess, freePort, hasFerret } from './ferret';
import { chaosScenarios } from './scenarios';
import { runScenario, type Scenario, type ScenarioRow } from './scenario';
import { setupChaosData } from './seed';
import type { Ack } from './storm';

// npm run chaos — every service a real process on a private FerretDB; faults injected during a write storm and a read load.
const num = (name: string, def: number) => Number(process.env[name] ?? def);
const CLIENTS = num('CHAOS_CLIENTS', 12);
const READERS = num('CHAOS_READERS', 8);
const STORM_MS = num('CHAOS_STORM_MS', 14000);
const FAULT_MS = num('CHAOS_FAULT_MS', 4000);
const ONLY = process.env.CHAOS_SCENARIOS?.split(',');

export async function runChaos(log: (s: string) => void = console.log): Promise<ScenarioRow[]> {
  if (!hasFerret()) throw new Error('FerretDB binary missing (.ci-cache/ferretdb, built by .ci/run) — set FERRETDB_BIN');
  const dir = mkdtempSync(path.join(tmpdir(), 'ss-chaos-'));
  const ferret = new FerretProcess(await freePort(), dir);
  await ferret.start();
  const prefix = `chaos${randomBytes(3).toString('hex')}_`;
  const password = 'chaos-password-chaos-password';
  const cluster = new Cluster(clusterEnv(ferret.uri, prefix));
  const db = await DbManager.connect(ferret.uri, prefix);
  const rows: ScenarioRow[] = [];
  try {
    await upsertPlatformUser(db, { email: 'chaos@studyspot.test', name: 'Chaos', password, role: 'super_admin' });
    await cluster.start();
    const target = await setupChaosData(cluster.gatewayUrl, 'chaos@studyspot.test', password);
    const tenantDb = db.tenant(db.tenantDbName(target.slug));
    const scenarios: Scenario[] = chaosScenarios(cluster, ferret).filter((s) => !ONLY || ONLY.some((o) => s.name.startsWith(o)));
    const acked: Ack[] = [];
    for (const s of scenarios) {
      log(`running: ${s.name}`);
      const row = await runScenario(s, {
        target,
        tenantDb,
        platformDb: db.platform(),
        acked,
        clients: CLIENTS,
        readers: READERS,
        stormMs: STORM_MS,
        faultMs: FAULT_MS,
      });
      rows.push(row);
      log(`  ${JSON.stringify(row)}`);
    }
  } finally {
    await cluster.stop();
    await db.close().catch(() => undefined);
    await ferret.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (require.main === module) {
  runChaos().then(
    (rows) => {
      const cols: (keyof ScenarioRow)[] = [
        'fault',
        'sent',
        'failed',
        'acked',
        'lost',
        'duplicatePayments',
        'ledgerEqualsBalance',
        'recoverySeconds',
        'reads',
        'sparedFailed',
        'partialAnswers',
        'unclearReads',
      ];
      console.log(`\n${cols.join(' | ')}\n${cols.map(() => '---').join(' | ')}`);
      for (const r of rows) console.log(cols.map((c) => String(r[c])).join(' | '));
      const bad = rows.some((r) => r.lost || r.duplicatePayments || !r.ledgerEqualsBalance || r.sparedFailed || r.unclearReads);
      console.log(bad ? '\nFAILED' : '\nOK');
      process.exit(bad ? 1 : 0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
