import { performance } from 'node:perf_hooks';
import { openSubscribers, type OpenOptions, type SubscriberPool } from './subscribers';

/**
 * The bench's viewers in their own process (forked by `SubscriberProcess`): the
 * client sockets neither share the measured process's event loop and CPU nor its
 * file descriptors (10,000 viewers need 10,000 on each side; the machine's hard
 * limit is 20,000). Receive times are sent back as epoch milliseconds
 * (`performance.timeOrigin + now()`), which the parent maps onto its own clock.
 */
/** OpenOptions without its function: every event must be `occupancyChanged` of `libraryName` (another tenant's counts as wrong). */
export type RemotePool = Omit<OpenOptions, 'check'> & { libraryName: string };

export type Request = { type: 'open'; pools: RemotePool[] } | { type: 'collect' } | { type: 'dispose' };

export type Reply =
  | { type: 'opened'; connections: number }
  | { type: 'progress'; received: number; cpuMs: number }
  | { type: 'collected'; pools: { times: number[]; bad: number; failures: string[] }[][] }
  | { type: 'disposed' }
  | { type: 'error'; message: string };

const pools: SubscriberPool[] = [];
let ticker: NodeJS.Timeout | undefined;
const send = (reply: Reply) => process.send?.(reply);
const received = () => pools.reduce((n, p) => n + p.subscribers.reduce((s, x) => s + x.times.length, 0), 0);
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function handle(req: Request): Promise<void> {
  if (req.type === 'open') {
    for (const p of req.pools) {
      pools.push(
        await openSubscribers({
          ...p,
          check: (d) => (d as { occupancyChanged?: { name?: string } } | null)?.occupancyChanged?.name === p.libraryName,
        }),
      );
    }
    // Progress lets the parent wait for the last delivery without collecting every time.
    ticker ??= setInterval(() => send({ type: 'progress', received: received(), cpuMs: cpuMs() }), 50);
    send({ type: 'opened', connections: pools.reduce((n, p) => n + p.connections, 0) });
  } else if (req.type === 'collect') {
    const origin = performance.timeOrigin;
    send({
      type: 'collected',
      pools: pools.map((p) => p.subscribers.map((s) => ({ times: s.times.map((t) => origin + t), bad: s.bad, failures: s.failures }))),
    });
  } else {
    clearInterval(ticker);
    ticker = undefined;
    await Promise.all(pools.map((p) => p.dispose()));
    pools.length = 0;
    send({ type: 'disposed' });
  }
}

process.on('message', (req: Request) => {
  handle(req).catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
});
process.on('disconnect', () => process.exit(0));
