import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import DataLoader from 'dataloader';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../../../core/config';
import { InProcessPubSub } from '../../../core/pubsub';
import type { RunningService } from '../../../core/server/subgraph-server';
import { DbManager } from '../../../core/tenancy/db';
import { SUBGRAPHS } from '../../subgraphs';

/**
 * Child process of `npm run bench`: the five subgraphs on port 0 sharing one
 * pool with command monitoring, plus a control port the bench uses to count
 * database round trips, read RSS and switch DataLoader batching off.
 * Prints one JSON line `{ urls, control }` on stdout when ready.
 */
let batching = true;
// Batch size 1 = every load() is its own database query (the naive N+1 resolver).
const proto = DataLoader.prototype as unknown as { load(k: unknown): unknown; _maxBatchSize: number; __max?: number };
const load = proto.load;
proto.load = function (this: typeof proto, key: unknown) {
  this.__max ??= this._maxBatchSize;
  this._maxBatchSize = batching ? this.__max : 1;
  return load.call(this, key);
};

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
  const db = await DbManager.connect(env.MONGODB_URI!, env.DB_PREFIX!, {
    monitorCommands: true,
    poolSize: 50,
    maxTenants: loadConfig('tenant', env).tenantConnectionsMax,
  });
  let commands = 0;
  const byName: Record<string, number> = {};
  // By command and collection, tenant databases folded into one (`/targets`: where the commands go).
  const byTarget: Record<string, number> = {};
  // The last commands, for `/commands` (which collections one request reads).
  const recent: string[] = [];
  db.onCommand((e) => {
    // getMore names its cursor, and its collection in `collection`.
    const target = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    recent.push(`${e.commandName} ${e.databaseName.replace(env.DB_PREFIX!, '')}.${String(target)}`);
    if (recent.length > 500) recent.shift();
    commands++;
    byName[e.commandName] = (byName[e.commandName] ?? 0) + 1;
    const where = `${e.commandName} ${e.databaseName.replace(env.DB_PREFIX!, '').replace(/tenant_.*/, 'tenant_*')}.${String(target)}`;
    byTarget[where] = (byTarget[where] ?? 0) + 1;
  });
  const pubsub = new InProcessPubSub();
  const urls = {} as Record<SubgraphName, string>;
  const services: RunningService[] = [];
  for (const name of SUBGRAPH_NAMES) {
    const svc = await SUBGRAPHS[name]!.createServer({ ...loadConfig(name, env), subgraphUrls: urls }, db, { pubsub });
    urls[name] = svc.url;
    services.push(svc);
  }
  const control = http.createServer((req, res) => {
    if (req.url === '/commands') return void res.end(JSON.stringify(recent));
    if (req.url === '/targets') return void res.end(JSON.stringify(byTarget));
    // With NODE_OPTIONS=--expose-gc: the live heap (what the process holds, not garbage yet to collect).
    if (req.url === '/gc') (globalThis as { gc?: () => void }).gc?.();
    if (req.url === '/reset') {
      recent.length = 0;
      commands = 0;
      for (const k of Object.keys(byName)) delete byName[k];
      for (const k of Object.keys(byTarget)) delete byTarget[k];
    } else if (req.url?.startsWith('/batching/')) {
      batching = req.url.endsWith('/on');
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ commands, byName, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, batching }));
  });
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
  const port = (control.address() as AddressInfo).port;
  console.log(JSON.stringify({ urls, control: `http://127.0.0.1:${port}` }));
  const stop = async () => {
    for (const s of services) await s.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
