import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Subscriber } from './subscribers';
import type { RemotePool, Reply, Request } from './subscriber-process';

/** The parent's handle on `subscriber-process.ts`: open pools there, watch progress, collect times. */
export class SubscriberProcess {
  /** Deliveries received so far (as of the child's last progress message, every 50 ms). */
  received = 0;
  /** CPU milliseconds the child has used so far (same message). */
  cpuMs = 0;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: Reply) => {
      if (m.type === 'progress') [this.received, this.cpuMs] = [m.received, m.cpuMs];
    });
  }

  static start(): SubscriberProcess {
    return new SubscriberProcess(fork(path.join(__dirname, 'subscriber-process.js'), [], { serialization: 'advanced' }));
  }

  private request<T extends Reply['type']>(req: Request, expect: T): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: Reply) => {
        if (m.type !== expect && m.type !== 'error') return;
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (m.type === 'error') reject(new Error(`subscriber process: ${m.message}`));
        else resolve(m as Extract<Reply, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`subscriber process exited (${code})`));
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(req);
    });
  }

  /** Opens the pools in order; resolves with the number of connections once every one is acknowledged. */
  async open(pools: RemotePool[]): Promise<number> {
    this.received = 0;
    return (await this.request({ type: 'open', pools }, 'opened')).connections;
  }

  /** Every subscriber of every pool, receive times on this process's `performance.now()` clock. */
  async collect(): Promise<Subscriber[][]> {
    const origin = performance.timeOrigin;
    const { pools } = await this.request({ type: 'collect' }, 'collected');
    return pools.map((subs) => subs.map((s) => ({ ...s, times: s.times.map((t) => t - origin) })));
  }

  async dispose(): Promise<void> {
    await this.request({ type: 'dispose' }, 'disposed');
  }

  stop(): void {
    this.child.disconnect();
  }
}
