import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { createServer as createGateway } from '../../gateway';
import { startSystem } from '../../tests/helpers/system';
import { testSupergraph } from '../../tests/helpers/supergraph';

/**
 * Overhead of the partner usage log (gateway/use-api-usage.ts) per request: the same
 * partner query through two gateways on one set of subgraphs, one measuring and
 * recording (API_USAGE_RECORDING=on, batches to the tenant service), one not (off).
 * Rounds alternate between them; prints the median time of REQUESTS requests
 * (CONCURRENCY at a time) for each and the ratio on/off. Needs MONGODB_URI.
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/api-usage.js
 */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const QUERY = JSON.stringify({ query: 'query Libs { libraries { name capacity } }', operationName: 'Libs' });

async function timeRound(url: string, key: string): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: QUERY });
        if (res.status !== 200) throw new Error(`partner request answered ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  process.env.API_USAGE_RECORDING = 'on';
  const sys = await startSystem();
  process.env.API_USAGE_RECORDING = 'off';
  const off = await createGateway({ ...sys.config, subgraphUrls: sys.subgraphUrls }, { supergraphSdl: await testSupergraph(), pubsub: sys.pubsub });
  try {
    const t = await sys.createTenant('bench-usage');
    await sys.ok(`mutation { createLibrary(input: { name: "Hall", capacity: 10 }) { id } }`, {}, { token: t.ownerToken });
    const created = await sys.ok(
      `mutation { createApiKey(input: { name: "bench", scopes: ["libraries:read"], rateLimitPerMinute: 6000 }) { key } }`,
      {},
      { token: t.ownerToken },
    );
    const key = created.createApiKey.key as string;
    const partner = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/partner/graphql');
    const times = { on: [] as number[], off: [] as number[] };
    await timeRound(partner(sys.gatewayUrl), key); // warm-up (plans, pools)
    await timeRound(partner(off.url), key);
    for (let r = 0; r < ROUNDS; r++) {
      times.on.push(await timeRound(partner(sys.gatewayUrl), key));
      times.off.push(await timeRound(partner(off.url), key));
    }
    const on = median(times.on);
    const offMs = median(times.off);
    console.log(
      JSON.stringify({
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        medianMs: { recording: Math.round(on), off: Math.round(offMs) },
        perRequestMs: { recording: +(on / REQUESTS).toFixed(2), off: +(offMs / REQUESTS).toFixed(2) },
        ratio: +(on / offMs).toFixed(3),
      }),
    );
  } finally {
    await off.stop();
    await sys.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
