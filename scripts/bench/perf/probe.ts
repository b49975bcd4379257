import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { DbManager } from '../../../core/tenancy/db';
import { client, JWT_SECRET, mintToken } from './client';
import { round } from './load';
import { benchEnv, startHive, startOurGateway, startSubgraphs, stop, type Proc } from './procs';
import { DASHBOARD, studentList } from './queries';
import { createLibraries, createTenant, pageCursors, seedDashboardTenant } from './seed';
import { seedStudentsDirect } from './tenants';
import { auth, fixed, gqlBody } from './workloads';

const cpu = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

async function fetchStats(url: string): Promise<Record<string, { n: number; s: number }>> {
  const m = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  const out: Record<string, { n: number; s: number }> = {};
  for (const [, k, sub, v] of m.matchAll(/gateway_subgraph_fetch_duration_seconds_(sum|count)\{[^}]*subgraph="(\w+)"[^}]*\} ([\d.e+-]+)/g)) {
    out[sub] ??= { n: 0, s: 0 };
    if (k === 'sum') out[sub].s += Number(v);
    else out[sub].n += Number(v);
  }
  return out;
}

async function main() {
  const uri = process.env.MONGODB_URI!;
  const prefix = `p${randomBytes(3).toString('hex')}_`;
  const env = benchEnv(uri, prefix, JWT_SECRET);
  const db = await DbManager.connect(uri, prefix);
  const sub = await startSubgraphs(env);
  const ours = await startOurGateway(env, sub.urls);
  const hive = await startHive(sub.urls);
  const fdb = Number(execSync('pgrep -f "ferretdb -listen" | head -1').toString().trim());
  try {
    const ok = client(ours.url);
    // PROBE_W2=<n>: the W2 student list of n students instead of the W1 dashboard.
    const n = Number(process.env.PROBE_W2 ?? 0);
    let token: string, query: string;
    if (n) {
      const t = await createTenant(ok, mintToken('super_admin'), 'probe-w2');
      await seedStudentsDirect(db, db.tenantDbName(t.slug), await createLibraries(ok, t, 5), n, 3);
      [token, query] = [t.token, studentList(n, await pageCursors(ok, t, n, 100))];
    } else {
      const w1 = await seedDashboardTenant(ok, mintToken('super_admin'), 19);
      [token, query] = [w1.token, DASHBOARD];
    }
    const conns = Number(process.env.PROBE_CONNS ?? 50);
    for (const g of [ours, hive, ours, hive] as Proc[]) {
      await fetch(`${sub.control}/reset`);
      const base = g.name === 'ours' ? await fetchStats(g.url) : {};
      const t0 = Date.now();
      for (let i = 0; i < 5; i++)
        await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(token) }, body: gqlBody(query) }).then((r) => r.text());
      const seq = (Date.now() - t0) / 5;
      if (g.name === 'ours') {
        const now = await fetchStats(g.url);
        console.log(
          '  per request: ' +
            Object.entries(now)
              .map(
                ([n, v]) =>
                  `${n} ${((v.n - (base[n]?.n ?? 0)) / 5).toFixed(1)} fetches, avg ${(((v.s - (base[n]?.s ?? 0)) / (v.n - (base[n]?.n ?? 0))) * 1000).toFixed(1)} ms`,
              )
              .join('; '),
        );
      }
      if (process.env.PROBE_COMMANDS) {
        const list = (await (await fetch(`${sub.control}/commands`)).json()) as string[];
        const tally: Record<string, number> = {};
        for (const x of list) tally[x] = (tally[x] ?? 0) + 1;
        console.log(
          Object.entries(tally)
            .map(([k, v]) => `  ${(v / 5).toFixed(1)}× ${k}`)
            .join('\n'),
        );
      }
      const c = (await (await fetch(`${sub.control}/`)).json()) as { commands: number; byName: Record<string, number> };
      const pids = { gw: g.child.pid!, sub: sub.child.pid!, fdb };
      const before = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpu(p)]));
      const t1 = Date.now();
      const r = await round(fixed(g.url, query, token), conns, 2);
      const wall = Date.now() - t1;
      const used = Object.entries(pids)
        .map(([k, p]) => `${k} ${(((cpu(p) - before[k]) / wall) * 100).toFixed(0)}%`)
        .join(' ');
      console.log(
        `${g.name}: seq ${seq.toFixed(0)} ms/req, db cmds/req ${(c.commands / 5).toFixed(1)} ${JSON.stringify(c.byName)} | c=${conns}: p50 ${r.p50} p95 ${r.p95} rps ${r.rps.toFixed(1)} err ${r.errors}${r.firstError ? ` (${r.firstError})` : ''} wall ${wall} ms cpu ${used}`,
      );
    }
  } finally {
    await stop(ours);
    await stop(hive);
    await stop(sub);
    await db.close();
  }
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
