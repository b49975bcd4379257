import type { DbManager } from '../../../core/tenancy/db';
import { compare, type Settings } from './compare';
import { rssOf, startOurGateway, startSubgraphs, stop } from './procs';
import { TENANT_HOME } from './queries';
import { errs, mb, p95, rps, table } from './report';
import type { BenchTenant } from './seed';
import { provisionTenants } from './tenants';
import { mintToken, pool } from './client';
import { auth, gqlBody, spreadTarget } from './workloads';

export interface ScaleRow {
  tenants: number;
  rps: number;
  p95: number;
  rssSubgraphs: number;
  rssGateway: number;
  errors: number;
  cells: string[];
}

/**
 * W4: the same small read spread uniformly over 1, 100, 1,000 tenants. Each step on
 * fresh subgraphs and gateway, first served the same number of warm-up requests
 * (round-robin over its tenants, so each has its connection and models, as in
 * production): RSS then differs by what the tenants cost, not by how much traffic
 * a process has seen. RSS of both processes after the step's rounds.
 */
export async function scaleRun(s: Settings, env: NodeJS.ProcessEnv, db: DbManager, counts: number[]) {
  const rows: ScaleRow[] = [];
  const warmups = Math.max(...counts);
  let tenants: BenchTenant[] = [];
  for (const n of counts) {
    const t0 = Date.now();
    tenants = tenants.concat(await provisionTenants(db, tenants.length, n));
    const provisionS = (Date.now() - t0) / 1000;
    const sub = await startSubgraphs(env);
    const gw = await startOurGateway(env, sub.urls);
    try {
      const label = `W4 ${n} tenants`;
      const step = tenants.slice(0, n);
      // As the measured rounds' distinct users: one token would share fetches and lighten the 1-tenant step.
      await pool(
        Array.from({ length: warmups }, (_, k) => step[k % n]),
        8,
        (t) =>
          fetch(gw.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth(mintToken('owner', t, `owner-${t.slug}-${Math.floor(Math.random() * 1e9)}`)) },
            body: gqlBody(TENANT_HOME),
          }).then((r) => r.text()),
      );
      const r = (await compare(s, [{ label, target: spreadTarget(gw.url, TENANT_HOME, step), connections: 20 }])).get(label)!;
      const [rs, rg] = [rssOf(sub), rssOf(gw)];
      rows.push({
        tenants: n,
        rps: r.rps.median,
        p95: r.p95.median,
        rssSubgraphs: rs,
        rssGateway: rg,
        errors: r.errors,
        cells: [String(n), rps(r), p95(r), mb(rs), mb(rg), mb(rs + rg), provisionS.toFixed(1), errs(r)],
      });
    } finally {
      await stop(gw);
      await stop(sub);
    }
  }
  const text = table(
    `W4 tenant scale (20 connections, requests spread uniformly over the tenants, each as a new user; fresh processes per step, ${warmups} warm-up requests each)`,
    ['tenants', 'req/s median (min–max)', 'p95 ms median (min–max)', 'RSS subgraphs MB', 'RSS gateway MB', 'RSS total MB', 'provision s', 'errors'],
    rows.map((r) => r.cells),
  );
  return { rows, text };
}
