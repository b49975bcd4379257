import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../core/paths';
import { SUBGRAPH_NAMES } from '../../../core/config';
import { DbManager } from '../../../core/tenancy/db';
import { client, JWT_SECRET, mintToken } from './client';
import { compare as compareRounds, settings, type Contender } from './compare';
import type { Summary } from './load';
import { benchEnv, startBare, startHive, startOurGateway, startSubgraphs, stop, type Proc, type SubgraphsProc } from './procs';
import { DASHBOARD, DIRECT, studentList } from './queries';
import { chartSvg, errs, p50, p95, ratio, rps, table } from './report';
import { createLibraries, createStudents, createTenant, pageCursors, seedDashboardTenant } from './seed';
import { checkInOutTarget, fixed, manyUsers, studentListTarget } from './workloads';
import { scaleRun, w4Counts } from './scale';
import { seedStudentsDirect } from './tenants';
import { roundTrips } from './round-trips';
import { verdicts } from './targets';

/** `npm run bench`: W1–W4 and the peers, side by side in one run (see docs/performance.md). */
async function main(): Promise<number> {
  const s = settings();
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error('MONGODB_URI is not set, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/ npm run bench');
    return 2;
  }
  // BENCH_SIZES=10,100 skips the 1,000-student list where a slow database makes it time out.
  const sizes = (process.env.BENCH_SIZES ?? '10,100,1000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const prefix = `b${randomBytes(3).toString('hex')}_`;
  const env = benchEnv(uri, prefix, JWT_SECRET);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load avg ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `settings: ${s.quick ? 'BENCH_QUICK ' : ''}warm-up ${s.warmupSeconds} request(s)/connection, ${s.rounds} rounds × ${s.roundSeconds} requests/connection per contender, interleaved; medians (min–max) over rounds`,
  );
  const only = (w: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(w);
  const started = Date.now();
  const db = await DbManager.connect(uri, prefix);
  const procs: Proc[] = [];
  let sub: SubgraphsProc | undefined;
  const out: Record<string, unknown> = { settings: s, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version } };
  try {
    sub = await startSubgraphs(env);
    const ours = await startOurGateway(env, sub.urls);
    const hive = await startHive(sub.urls);
    // The same gateway with entity de-duplication off (gateway/dedupe.ts), to show what it buys.
    const plain = { ...(await startOurGateway({ ...env, GATEWAY_DEDUPE_ENTITIES: 'off' }, sub.urls)), name: 'ours-nodedupe' };
    const bare = await startBare();
    procs.push(ours, hive, plain, bare);
    const ok = client(ours.url);
    const superToken = mintToken('super_admin');

    console.log('\nseeding through our gateway…');
    const w1 = await seedDashboardTenant(ok, superToken, 19);
    const w3Students = await createStudents(ok, w1, [w1.libraryId], 20, false);
    const w2 = await createTenant(ok, superToken, 'bench-w2');
    const w2Libs = await createLibraries(ok, w2, 5);
    await seedStudentsDirect(db, db.tenantDbName(w2.slug), w2Libs, Math.max(...sizes), 3);
    const cursors = await pageCursors(ok, w2, Math.max(...sizes), 100);
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const gw = [ours, hive];
    const rt = await roundTrips(
      sub,
      gw,
      sizes.map((n) => ({ n, query: studentList(n, cursors) })),
      w2.token,
      w1.token,
    );
    console.log(rt.text);
    out.roundTrips = rt.rows;

    const pair = (name: string, conns: number, mk: (url: string) => Contender['target']): Contender[] =>
      gw.map((g) => ({ label: `${name} ${g.name}`, target: mk(g.url), connections: conns }));
    const results = new Map<string, Summary>();
    const add = (m: Map<string, Summary>) => m.forEach((v, k) => results.set(k, v));
    const settle = () => quiet(sub!);
    const compare = (st: typeof s, cs: Contender[]) => compareRounds(st, cs, settle);

    const hasLibraries = (d: { libraries?: unknown[] }) => (d.libraries?.length ? null : 'no libraries');
    // One user's 50 dashboards (both gateways share identical in-flight fetches), then 50 users' (nothing to share).
    if (only('w1'))
      add(
        await compare(
          s,
          pair('W1', 50, (u) => fixed(u, DASHBOARD, w1.token, hasLibraries)),
        ),
      );
    if (only('w1'))
      add(
        await compare(
          s,
          pair('W1 50 users', 50, (u) => manyUsers(u, DASHBOARD, w1, 50, hasLibraries)),
        ),
      );
    for (const n of only('w2') ? sizes : []) {
      // Stock behaviour (no de-duplication) takes longer than the 30-s client timeout at n=1000 here.
      add(
        await compare(
          s,
          [...gw, ...(n <= 100 ? [plain] : [])].map((g) => ({
            label: `W2 n=${n} ${g.name}`,
            target: studentListTarget(g.url, studentList(n, cursors), w2.token, n),
            connections: 10,
          })),
        ),
      );
    }
    const batching = (on: boolean) => async () => void (await fetch(`${sub!.control}/batching/${on ? 'on' : 'off'}`));
    // n=10: with DataLoader off, n=100 needs longer than the 30-s client timeout here (216 commands).
    const w2q = studentList(10, cursors);
    if (only('dl'))
      add(
        await compare(s, [
          { label: 'DataLoader on', target: studentListTarget(ours.url, w2q, w2.token, 10), connections: 10, before: batching(true) },
          { label: 'DataLoader off', target: studentListTarget(ours.url, w2q, w2.token, 10), connections: 10, before: batching(false), after: batching(true) },
        ]),
      );
    const w3 = gw.map((g) => ({ g, ...checkInOutTarget(g.url, w1.token, w3Students) }));
    if (only('w3'))
      add(
        await compare(
          s,
          w3.map(({ g, target, reset }) => ({ label: `W3 ${g.name}`, target, connections: 10, after: reset })),
        ),
      );
    for (const name of only('direct') ? SUBGRAPH_NAMES : []) {
      add(
        await compare(s, [
          // As 10 distinct users: a shared fetch at the gateway would hide its cost.
          { label: `${name} direct`, target: manyUsers(sub.urls[name], DIRECT[name], w1, 10), connections: 10 },
          { label: `${name} via ours`, target: manyUsers(ours.url, DIRECT[name], w1, 10), connections: 10 },
        ]),
      );
    }
    if (only('direct'))
      add(
        await compare(s, [{ label: 'bare http', target: { url: bare.url, request: () => ({ body: '{}', headers: {} }), check: () => null }, connections: 50 }]),
      );

    const row = (label: string, base?: string) => {
      const r = results.get(label);
      if (!r) return [label, 'not run'];
      const b = base ? results.get(base) : undefined;
      return [label, rps(r), p50(r), p95(r), b ? ratio(r.rps.median, b.rps.median) : '', b ? ratio(r.p95.median, b.p95.median) : '', errs(r)];
    };
    const head = ['contender', 'req/s median (min–max)', 'p50 ms', 'p95 ms median (min–max)', 'rps ÷ peer', 'p95 ÷ peer', 'errors'];
    console.log(
      table(
        'W1 dashboard (50 connections: one user, then 50 users) and W2 student list (10 connections): ours vs Hive Gateway',
        head,
        ['W1', 'W1 50 users', ...sizes.map((n) => `W2 n=${n}`)].flatMap((w) => [
          row(`${w} ours`, `${w} hive`),
          row(`${w} hive`),
          ...(w.startsWith('W1') ? [] : [row(`${w} ours-nodedupe`, `${w} hive`)]),
        ]),
      ),
    );
    console.log(table('DataLoader on vs off (W2 n=10, our gateway, 10 connections)', head, [row('DataLoader on'), row('DataLoader off', 'DataLoader on')]));
    console.log(table('W3 check-in/check-out mutations (10 connections, 20 students)', head, [row('W3 ours', 'W3 hive'), row('W3 hive')]));
    console.log(
      table('Gateway overhead: each subgraph directly vs through our gateway (10 connections as 10 users); ceiling: bare node:http (50 connections)', head, [
        ...SUBGRAPH_NAMES.flatMap((n) => [row(`${n} direct`), row(`${n} via ours`, `${n} direct`)]),
        row('bare http'),
      ]),
    );
    out.results = Object.fromEntries(results);

    // W4 on fresh processes: RSS starts from a clean baseline.
    for (const p of procs.splice(0)) await stop(p);
    await stop(sub);
    const scale = only('w4') ? await scaleRun(s, env, w4Counts()) : { rows: [], text: '' };
    console.log(scale.text);
    out.scale = scale.rows;

    const v = verdicts(results, rt.rows, scale.rows);
    console.log(table('Targets', ['target', 'measured', 'met'], v));
    out.verdicts = v;
    const svg = chartSvg(
      gw.map((g, i) => ({
        label: g.name === 'ours' ? 'our gateway' : 'Hive Gateway',
        color: ['#1f77b4', '#d62728'][i],
        points: sizes.map((n) => [n, results.get(`W2 n=${n} ${g.name}`)?.p95.median ?? 0] as [number, number]),
      })),
      [
        {
          label: 'our gateway',
          color: '#1f77b4',
          points: scale.rows.filter((r) => r.traffic === 'uniform').map((r) => [r.tenants, r.p95] as [number, number]),
        },
      ],
      `npm run bench${s.quick ? ' (BENCH_QUICK=1)' : ''}, ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} CPUs, node ${process.version}`,
    );
    if (only('w2') && only('w4')) writeFileSync(join(projectRoot(), 'docs', 'bench-latency.svg'), svg);
    writeFileSync(process.env.BENCH_OUT ?? '/tmp/bench-results.json', JSON.stringify(out, null, 2));
    console.log(
      `\nchart: docs/bench-latency.svg; raw: ${process.env.BENCH_OUT ?? '/tmp/bench-results.json'}; total ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const invalid = [...results.values()].some((r) => r.errors > 0) || scale.rows.some((r) => r.errors > 0);
    if (invalid) console.log('INVALID RUN: some responses had errors (see the errors column)');
    return invalid ? 1 : 0;
  } finally {
    for (const p of procs) await stop(p);
    if (sub) await stop(sub);
    await dropPrefixed(db, prefix);
    await db.close();
  }
}

/** Waits until the subgraphs have sent no database command for 300 ms (at most 60 s). */
async function quiet(sub: SubgraphsProc): Promise<void> {
  const count = async () => ((await (await fetch(`${sub.control}/`)).json()) as { commands: number }).commands;
  const until = Date.now() + 60_000;
  let last = await count();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await count();
    if (now === last) return;
    last = now;
  }
}

async function dropPrefixed(db: DbManager, prefix: string): Promise<void> {
  const { databases } = await db.platform().db!.admin().listDatabases({ nameOnly: true });
  for (const { name } of databases)
    if (name.startsWith(prefix))
      await db
        .tenant(name)
        .dropDatabase()
        .catch(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
