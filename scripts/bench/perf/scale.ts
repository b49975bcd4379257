import { DbManager } from '../../../core/tenancy/db';
import { pool } from './client';
import { compare, type Settings } from './compare';
import { cpuDuring } from './cpu';
import { startDbServers } from './ferret';
import { rssOf, startOurGateway, startSubgraphs, stop, type Proc, type SubgraphsProc } from './procs';
import { TENANT_HOME } from './queries';
import { errs, mb, p95, rps, table } from './report';
import type { BenchTenant } from './seed';
import { provisionTenants } from './tenants';
import { picker, tenantTraffic, timedRequest, type Traffic } from './traffic';

export interface ScaleRow {
  tenants: number;
  traffic: Traffic;
  rps: number;
  p95: number;
  /** Share of measured requests that were the first to their tenant in these processes. */
  coldShare: number;
  /** Sequential probe on the quiet processes: median latency of a cold tenant's first request minus a warm one's. */
  coldExtraMs: number;
  /** CPU ms per request of each process group over the measured rounds. */
  cpu: { gateway: number; subgraphs: number; database: number };
  rssSubgraphs: number;
  rssGateway: number;
  errors: number;
  cells: string[];
}

const WARMUP = Number(process.env.BENCH_W4_WARMUP ?? 1000);
const PROBES = 30;
/** Traffic shapes of the steps above 1 tenant (BENCH_W4_TRAFFIC=uniform,skewed). */
const TRAFFIC = (process.env.BENCH_W4_TRAFFIC ?? 'uniform,skewed').split(',') as Traffic[];

/** Tenant counts of W4 (BENCH_W4_TENANTS, comma-separated). */
export const w4Counts = () =>
  (process.env.BENCH_W4_TENANTS ?? '1,1000,10000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);

/**
 * W4: the same small read through two subgraphs (TENANT_HOME) as each request a new
 * user of a picked tenant, at each tenant count, uniformly and skewed. Each step runs on
 * freshly started subgraphs and gateway after the same WARMUP requests, so at 10,000
 * tenants most measured requests reach a tenant the processes have not seen (the share
 * is reported). Tenants live on two database servers (./ferret.ts). The largest step
 * then touches every tenant once, reading RSS as it goes: it must level off once the
 * per-tenant caches are full.
 */
export async function scaleRun(s: Settings, env: NodeJS.ProcessEnv, counts: number[]) {
  const prefix = env.DB_PREFIX!;
  const servers = await startDbServers(Number(process.env.BENCH_W4_SERVERS ?? 2), env.MONGODB_URI!);
  const db = await DbManager.connect(servers.uri, prefix, { clusters: servers.clusters });
  const clusterNames = db.clusterNames();
  const stepEnv = {
    ...env,
    // As the image runs them (Dockerfile: a heap cap per process); --expose-gc lets the RSS sweep read the live heap.
    NODE_OPTIONS: process.env.BENCH_W4_NODE_OPTIONS ?? '--max-old-space-size=512 --expose-gc',
    MONGODB_URI: servers.uri,
    MONGODB_CLUSTERS: Object.entries(servers.clusters)
      .map(([k, v]) => `${k}=${v}`)
      .join(';'),
  };
  const rows: ScaleRow[] = [];
  const growth: string[] = [];
  let tenants: BenchTenant[] = [];
  try {
    for (const n of counts) {
      const t0 = Date.now();
      tenants = tenants.concat(await provisionTenants(db, tenants.length, n, 3, clusterNames));
      console.log(`W4: ${n} tenants provisioned (+${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      for (const traffic of n === 1 ? (['uniform'] as const) : TRAFFIC) {
        const sweep = n === Math.max(...counts) && traffic === 'uniform' && n > 1;
        const row = await step(s, stepEnv, servers.pids, tenants.slice(0, n), traffic, sweep ? growth : undefined);
        console.log(`W4 ${n} ${traffic}: ${row.cells.join(' | ')}`);
        rows.push(row);
      }
    }
    // The 1-tenant baseline again at the end, on fresh processes: machine drift shows as two different baselines.
    if (counts[0] === 1 && counts.length > 1) {
      const again = await step(s, stepEnv, servers.pids, tenants.slice(0, 1), 'uniform');
      again.cells[0] = '1 (again)';
      console.log(`W4 1 again: ${again.cells.join(' | ')}`);
      rows.push(again);
    }
  } finally {
    await db.close();
    await servers.stop();
  }
  const text = [
    table(
      `W4 tenant scale (${clusterNames.length} database server(s); 20 connections; each request a new user of a tenant picked uniformly or skewed (Zipf); fresh processes per row, ${WARMUP} warm-up requests each)`,
      [
        'tenants',
        'traffic',
        'req/s median (min–max)',
        'p95 ms median (min–max)',
        'cold share',
        'cold first request +ms',
        'CPU ms/req gateway · subgraphs · database',
        'RSS subgraphs MB',
        'RSS gateway MB',
        'RSS total MB',
        'errors',
      ],
      rows.map((r) => r.cells),
    ),
    growth.length ? `\nMemory while the largest step's processes touch every tenant once:\n  ${growth.join('\n  ')}` : '',
  ].join('\n');
  return { rows, text };
}

async function step(s: Settings, env: NodeJS.ProcessEnv, dbPids: number[], tenants: BenchTenant[], traffic: Traffic, growth?: string[]): Promise<ScaleRow> {
  const n = tenants.length;
  const sub = await startSubgraphs(env);
  const gw = await startOurGateway(env, sub.urls);
  try {
    const seen = new Set<number>();
    const pick = picker(n, traffic);
    // Warm-up from the same distribution (as users, each a new one).
    await pool(Array.from({ length: WARMUP }, pick), 8, async (i) => {
      seen.add(i);
      await timedRequest(gw.url, TENANT_HOME, tenants[i]);
    });
    const load = tenantTraffic(gw.url, TENANT_HOME, tenants, pick, seen);
    const label = `W4 ${n} ${traffic}`;
    const pids = { gateway: [gw.child.pid!], subgraphs: [sub.child.pid!], database: dbPids };
    const { result, ms } = await cpuDuring(pids, () => compare(s, [{ label, target: load.target, connections: 20 }]));
    const r = result.get(label)!;
    const st = load.stats();
    const [rs, rg] = [rssOf(sub), rssOf(gw)];
    const coldExtraMs = n > 1 ? await coldProbe(gw.url, tenants, seen) : NaN;
    if (growth) await touchAll(gw.url, tenants, seen, () => memoryOf(sub, gw), growth);
    const per = (x: number) => x / Math.max(1, st.requests);
    const cpu = { gateway: per(ms.gateway), subgraphs: per(ms.subgraphs), database: per(ms.database) };
    const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
    return {
      tenants: n,
      traffic,
      rps: r.rps.median,
      p95: r.p95.median,
      coldShare: st.coldShare,
      coldExtraMs,
      cpu,
      rssSubgraphs: rs,
      rssGateway: rg,
      errors: r.errors,
      cells: [
        String(n),
        traffic,
        rps(r),
        p95(r),
        `${(100 * st.coldShare).toFixed(0)} %`,
        f1(coldExtraMs),
        `${f1(cpu.gateway)} · ${f1(cpu.subgraphs)} · ${dbPids.length ? f1(cpu.database) : '-'}`,
        mb(rs),
        mb(rg),
        mb(rs + rg),
        errs(r),
      ],
    };
  } finally {
    await stop(gw);
    await stop(sub);
  }
}

/**
 * One request at a time on the now quiet processes, alternating a tenant never touched
 * and one already warm: the median difference is what a cold tenant's first request costs.
 */
async function coldProbe(url: string, tenants: BenchTenant[], seen: Set<number>): Promise<number> {
  const cold = tenants.map((_, i) => i).filter((i) => !seen.has(i));
  const warm = [...seen];
  const ms = { cold: [] as number[], warm: [] as number[] };
  for (let k = 0; k < Math.min(PROBES, cold.length); k++) {
    const c = cold[Math.floor((k * cold.length) / PROBES)];
    seen.add(c);
    ms.cold.push(await timedRequest(url, TENANT_HOME, tenants[c]));
    ms.warm.push(await timedRequest(url, TENANT_HOME, tenants[warm[Math.floor(Math.random() * warm.length)]]));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return median(ms.cold) - median(ms.warm);
}

/** RSS of both processes, and the subgraphs' live heap after a full GC (with --expose-gc). */
async function memoryOf(sub: SubgraphsProc, gw: Proc): Promise<string> {
  const live = (await (await fetch(`${sub.control}/gc`)).json()) as { heapUsed: number };
  return `RSS ${mb(rssOf(sub) + rssOf(gw))} MB (subgraphs' live heap ${mb(live.heapUsed)} MB)`;
}

/** Touches every tenant not yet seen (20 at a time), noting memory at each tenth. */
async function touchAll(url: string, tenants: BenchTenant[], seen: Set<number>, memory: () => Promise<string>, out: string[]): Promise<void> {
  const rest = tenants.map((_, i) => i).filter((i) => !seen.has(i));
  const tenth = Math.ceil(rest.length / 10);
  out.push(`${seen.size} tenants seen: ${await memory()}`);
  for (let k = 0; k < rest.length; k += tenth) {
    await pool(rest.slice(k, k + tenth), 20, (i) => timedRequest(url, TENANT_HOME, tenants[i]));
    out.push(`${seen.size + Math.min(rest.length, k + tenth)}: ${await memory()}`);
  }
}
