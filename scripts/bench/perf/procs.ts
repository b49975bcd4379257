import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { schemaPath } from '../../../core/paths';
import type { SubgraphName } from '../../../core/config';

/** A child process of the bench and the URL it serves. */
export interface Proc {
  name: string;
  url: string;
  child: ChildProcess;
}

const ROOT = path.resolve(__dirname, '../../../..');
const children: ChildProcess[] = [];
// Children must not outlive the bench, even when it crashes.
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net
      .createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

/** Spawns `node args` and resolves with the first stdout line matching `ready`. */
function start(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp | string,
  cwd = ROOT,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${out}\n${err}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = typeof ready === 'string' ? null : out.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${out}\n${err}`)));
    // A URL: ready once it answers `{ __typename }` (Hive logs nothing at level 'error').
    const poll = async () => {
      if (typeof ready !== 'string' || child.exitCode !== null) return;
      const ok = await fetch(ready, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        clearTimeout(timer);
        resolve({ child, match: [ready] as unknown as RegExpMatchArray });
      } else setTimeout(() => void poll(), 250);
    };
    void poll();
  });
}

/** BENCH_CPU_PROF=<dir>: V8 CPU profiles of our gateway and the subgraphs, written when they stop. */
const profileArgs = (name: string) =>
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];

export interface SubgraphsProc extends Proc {
  urls: Record<SubgraphName, string>;
  control: string;
}

export async function startSubgraphs(env: NodeJS.ProcessEnv): Promise<SubgraphsProc> {
  const { child, match } = await start('subgraphs', [...profileArgs('subgraphs'), path.join(__dirname, 'subgraphs-proc.js')], env, /^(\{.*\})$/m);
  const { urls, control } = JSON.parse(match[1]) as { urls: Record<SubgraphName, string>; control: string };
  return { name: 'subgraphs', url: control, child, urls, control };
}

const subgraphEnv = (urls: Record<SubgraphName, string>) => Object.fromEntries(Object.entries(urls).map(([n, u]) => [`${n.toUpperCase()}_SUBGRAPH_URL`, u]));

/** Our gateway (dist/gateway/main.js), as deployed: its own process, the checked-in supergraph. */
export async function startOurGateway(env: NodeJS.ProcessEnv, urls: Record<SubgraphName, string>, extraArgs: string[] = []): Promise<Proc> {
  const port = await freePort();
  const { child } = await start(
    'gateway',
    [...extraArgs, ...profileArgs('gateway'), path.join(ROOT, 'dist/gateway/main.js')],
    { ...env, ...subgraphEnv(urls), PORT: String(port) },
    /gateway listening on/,
  );
  return { name: 'ours', url: `http://127.0.0.1:${port}/graphql`, child };
}

/** Hive Gateway (CLI) on a copy of the supergraph whose subgraph URLs point at the running subgraphs. */
export async function startHive(urls: Record<SubgraphName, string>): Promise<Proc> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hive-'));
  let sdl = readFileSync(schemaPath('supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(urls)) {
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*"`), `$1${url}"`);
  }
  writeFileSync(path.join(dir, 'supergraph.graphql'), sdl);
  // Subgraphs verify the caller's JWT themselves: forward it (and the tenant hint).
  writeFileSync(
    path.join(dir, 'gateway.config.mjs'),
    `export const gatewayConfig = {
  logging: 'error',
  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({
    authorization: request.headers.get('authorization') ?? undefined,
    'x-tenant': request.headers.get('x-tenant') ?? undefined,
  }) },
};\n`,
  );
  const port = await freePort();
  const bin = path.join(ROOT, 'node_modules/@graphql-hive/gateway/dist/bin.js');
  const { child } = await start(
    'hive',
    [bin, 'supergraph', path.join(dir, 'supergraph.graphql'), '-c', path.join(dir, 'gateway.config.mjs'), '-p', String(port), '-h', '127.0.0.1'],
    { ...process.env, NODE_ENV: 'production' },
    `http://127.0.0.1:${port}/graphql`,
    dir,
  );
  return { name: 'hive', url: `http://127.0.0.1:${port}/graphql`, child };
}

/** The machine's ceiling: a bare node:http server answering one fixed JSON body. */
export async function startBare(): Promise<Proc> {
  const port = await freePort();
  const code = `const b=Buffer.from(JSON.stringify({data:{ok:true}}));require('http').createServer((q,r)=>{q.resume();q.on('end',()=>{r.writeHead(200,{'content-type':'application/json','content-length':b.length});r.end(b)})}).listen(${port},'127.0.0.1',()=>console.log('bare ready'))`;
  const { child } = await start('bare', ['-e', code], process.env, /bare ready/);
  return { name: 'bare', url: `http://127.0.0.1:${port}/`, child };
}

export async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  p.child.kill('SIGKILL');
}

/** RSS of a child from /proc (Linux), in bytes. */
export function rssOf(p: Proc): number {
  try {
    const m = readFileSync(`/proc/${p.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The environment of the measured processes: development mode, silent logs, a fresh database
 * prefix, no rate limits (load comes from one address) and long subgraph timeouts; unsigned
 * subgraph calls (Hive cannot sign) and no tracing, whatever OTEL_* the shell has.
 */
export function benchEnv(uri: string, prefix: string, jwtSecret: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    MONGODB_URI: uri,
    DB_PREFIX: prefix,
    JWT_SECRET: jwtSecret,
    RATE_LIMIT_IP: '0',
    RATE_LIMIT_USER: '0',
    RATE_LIMIT_TENANT: '0',
    SUBGRAPH_TIMEOUT_MS: '60000',
    OTEL_SDK_DISABLED: 'true',
  };
  delete env.GATEWAY_SIGNING_SECRET;
  return env;
}
