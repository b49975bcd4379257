import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SUBGRAPH_NAMES } from '../../core/config';
import { projectRoot } from '../../core/paths';
import { freePort, waitForPort } from './ferret';
import { startFaultProxy, type FaultProxy } from './proxy';

export type ServiceName = (typeof SUBGRAPH_NAMES)[number] | 'gateway';
const ENTRY: Record<ServiceName, string> = {
  gateway: 'dist/gateway/main.js',
  ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `dist/subgraphs/${n}/main.js`])),
} as Record<ServiceName, string>;

/**
 * The environment every test cluster shares: test mode, a fresh secret, quiet logs, no rate
 * limits (all calls come from one address) and a 10 s subgraph timeout.
 */
export function clusterEnv(mongoUri: string, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    MONGODB_URI: mongoUri,
    DB_PREFIX: prefix,
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'fatal',
    RATE_LIMIT_IP: '0',
    RATE_LIMIT_USER: '0',
    RATE_LIMIT_TENANT: '0',
    SUBGRAPH_TIMEOUT_MS: '10000',
    ...extra,
  };
}

/**
 * Every service as its own `node dist/.../main.js` process (what production runs), on
 * fixed ports so a killed service comes back at the same address. The gateway reaches
 * credits through a fault proxy (latency injection); subgraphs call each other directly.
 */
export class Cluster {
  private readonly procs = new Map<ServiceName, ChildProcess>();
  readonly ports = {} as Record<ServiceName, number>;
  proxy!: FaultProxy;
  private env: Record<string, string> = {};

  constructor(private readonly base: Record<string, string>) {}

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.gateway}/graphql`;
  }

  async start(): Promise<void> {
    for (const n of [...SUBGRAPH_NAMES, 'gateway'] as ServiceName[]) this.ports[n] = await freePort();
    const urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [`${n.toUpperCase()}_SUBGRAPH_URL`, `http://127.0.0.1:${this.ports[n]}/graphql`]));
    this.env = { ...this.base, ...urls };
    this.proxy = await startFaultProxy(urls.CREDITS_SUBGRAPH_URL);
    await Promise.all(SUBGRAPH_NAMES.map((n) => this.startService(n)));
    await this.startService('gateway');
  }

  async startService(name: ServiceName): Promise<void> {
    const env = { ...process.env, ...this.env, PORT: String(this.ports[name]), ...(name === 'gateway' ? { CREDITS_SUBGRAPH_URL: this.proxy.url } : {}) };
    const child = spawn(process.execPath, [path.join(projectRoot(), ENTRY[name])], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    this.procs.set(name, child);
    const died = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${name} exited with ${code} during start-up`))));
    await Promise.race([waitForPort(this.ports[name], 60_000), died]);
  }

  /** The process id of a running service (benchmarks sample its memory from /proc). */
  pid(name: ServiceName): number | undefined {
    return this.procs.get(name)?.pid;
  }

  /** How the running process of `name` ends: its exit code, or the signal that killed it. */
  exitOf(name: ServiceName): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.procs.get(name);
    if (!child) return Promise.reject(new Error(`${name} is not running`));
    return new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  }

  /** Sends `signal` and waits for the process to exit. */
  async kill(name: ServiceName, signal: NodeJS.Signals): Promise<void> {
    const child = this.procs.get(name);
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((n) => this.kill(n, 'SIGTERM')));
    await this.proxy?.close();
  }
}
