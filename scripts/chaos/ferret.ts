import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../core/paths';

/** The FerretDB binary CI builds (.ci/run); FERRETDB_BIN overrides. */
export const ferretBinary = () => process.env.FERRETDB_BIN ?? path.join(projectRoot(), '.ci-cache', 'ferretdb');
export const hasFerret = () => existsSync(ferretBinary());

/** A port that is free on 127.0.0.1 right now. */
/**
 * A free loopback port for a child process to listen on. Drawn at random below Linux's
 * ephemeral range (32768+), where the suite's many outgoing connections take their local
 * ports, so that the port is not taken between this check and the child's bind.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  return listenOn(0);
}

const canListen = (port: number) =>
  listenOn(port).then(
    () => true,
    () => false,
  );

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(port, '127.0.0.1', () => {
      const { port: bound } = s.address() as net.AddressInfo;
      s.close(() => resolve(bound));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (or rejects after `ms`). */
export async function waitForPort(port: number, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true))).once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A private FerretDB we may kill and restart (same port, same data directory),
 * so "database down" faults never touch the shared database.
 */
export class FerretProcess {
  private child?: ChildProcess;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    this.child = spawn(ferretBinary(), ['-listen', `127.0.0.1:${this.port}`, '-dir', this.dir], { stdio: 'ignore' });
    await waitForPort(this.port);
  }

  /** SIGKILL by default: the database vanishes mid-request. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}
