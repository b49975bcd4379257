import type { Proc, SubgraphsProc } from './procs';
import { table } from './report';
import { auth, gqlBody } from './workloads';

export interface RoundTripRow {
  n: number;
  gateway: string;
  batching: boolean;
  /** Every command the subgraphs sent for one request (reads, registry lookups, all databases; not the once-a-second registry-version polls). */
  commands: number;
  byName: Record<string, number>;
  /** Of `commands`, those to the platform database (tenant registry; depends on TENANT_CACHE_MS timing). */
  registry: number;
}

const control = async (sub: SubgraphsProc, path: string) =>
  (await (await fetch(`${sub.control}${path}`)).json()) as { commands: number; byName: Record<string, number> };

/** Database commands of one request, counted with the driver's command monitoring in the subgraph process. */
async function countOne(
  sub: SubgraphsProc,
  url: string,
  query: string,
  token: string,
): Promise<{ commands: number; byName: Record<string, number>; registry: number }> {
  // Twice: the first call of a shape may warm per-tenant models; count the second.
  for (let i = 0; i < 2; i++) {
    await control(sub, '/reset');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(token) }, body: gqlBody(query) });
    const body = (await res.json()) as { errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`round-trip probe via ${url} failed: ${body.errors[0].message}`);
  }
  await new Promise((r) => setTimeout(r, 50));
  const list = (await (await fetch(`${sub.control}/commands`)).json()) as string[];
  // Registry-version polls run once a second per subgraph, whatever the traffic: not the request's.
  const polls = list.filter((c) => / platform\.registry_versions$/.test(c)).length;
  const all = await control(sub, '/');
  const byName = { ...all.byName, find: (all.byName.find ?? 0) - polls };
  return { commands: all.commands - polls, byName, registry: list.filter((c) => / platform\./.test(c)).length - polls };
}

export async function roundTrips(sub: SubgraphsProc, gateways: Proc[], lists: { n: number; query: string }[], token: string, _w1Token: string) {
  const rows: RoundTripRow[] = [];
  for (const batching of [true, false]) {
    await control(sub, `/batching/${batching ? 'on' : 'off'}`);
    for (const g of batching ? gateways : gateways.slice(0, 1)) {
      // Off: ~3 queries per student; n=1000 would take minutes on a loaded FerretDB.
      for (const { n, query } of batching ? lists : lists.filter((l) => l.n <= 100))
        rows.push({ n, gateway: g.name, batching, ...(await countOne(sub, g.url, query, token)) });
    }
  }
  await control(sub, '/batching/on');
  const fmt = (r: RoundTripRow) =>
    Object.entries(r.byName)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const text = table(
    'W2 database round trips per request (driver commandStarted events in the subgraphs, all databases)',
    ['students', 'gateway', 'DataLoader', 'round trips', 'of which registry', 'by command'],
    rows.map((r) => [r.n, r.gateway, r.batching ? 'on' : 'off', r.commands, r.registry, fmt(r)]),
  );
  return { rows, text };
}
