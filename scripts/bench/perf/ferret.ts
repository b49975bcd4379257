import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './procs';

/** Database servers the W4 step started, one per cluster ('default' first). */
export interface DbServers {
  /** MONGODB_URI of the default cluster and MONGODB_CLUSTERS of the others. */
  uri: string;
  clusters: Record<string, string>;
  /** Process ids of the servers (CPU accounting); empty when the bench did not start them. */
  pids: number[];
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * W4's database: `count` FerretDB servers started by the bench, tenants spread over them
 * as clusters (MONGODB_CLUSTERS). FerretDB's SQLite backend keeps three files open per
 * database, so one server refuses new databases near 6,600 tenants under this machine's
 * 20,000-file limit; two hold 10,000 (docs/performance.md). The binary is the one
 * `.ci/run` builds (BENCH_FERRETDB overrides). Without it, W4 runs on MONGODB_URI alone.
 */
export async function startDbServers(count: number, fallbackUri: string): Promise<DbServers> {
  const bin = process.env.BENCH_FERRETDB ?? path.join(ROOT, '.ci-cache', 'ferretdb');
  if (!existsSync(bin)) {
    console.log(`W4: no FerretDB binary at ${bin}: every tenant on MONGODB_URI (FerretDB/SQLite tops out near 6,600 databases)`);
    return { uri: fallbackUri, clusters: {}, pids: [], stop: async () => undefined };
  }
  const base = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const servers: { child: ChildProcess; dir: string; uri: string }[] = [];
  for (let i = 0; i < count; i++) {
    const dir = mkdtempSync(path.join(base, 'bench-w4-ferretdb-'));
    const port = await freePort();
    const child = spawn(bin, ['-listen', `127.0.0.1:${port}`, '-dir', dir], { stdio: 'ignore' });
    servers.push({ child, dir, uri: `mongodb://127.0.0.1:${port}/` });
    await waitForPort(port, child);
  }
  process.on('exit', () => servers.forEach((s) => s.child.kill('SIGKILL')));
  return {
    uri: servers[0].uri,
    clusters: Object.fromEntries(servers.slice(1).map((s, i) => [`c${i + 2}`, s.uri])),
    pids: servers.map((s) => s.child.pid!),
    async stop() {
      for (const s of servers) {
        const exited = new Promise((r) => s.child.once('exit', r));
        s.child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        s.child.kill('SIGKILL');
        rmSync(s.dir, { recursive: true, force: true });
      }
    },
  };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited (${child.exitCode}) before listening on ${port}`);
    const open = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true))).on('error', () => r(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not listen on ${port} within 30 s`);
}
