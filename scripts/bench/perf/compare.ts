import { round, summarize, type RoundStats, type Summary, type Target } from './load';

export interface Settings {
  quick: boolean;
  /** Requests per connection in the warm-up round. */
  warmupSeconds: number;
  rounds: number;
  /** Requests per connection in each measured round (BENCH_SECONDS, kept for the name). */
  roundSeconds: number;
}

export function settings(env: NodeJS.ProcessEnv = process.env): Settings {
  const quick = env.BENCH_QUICK === '1';
  return {
    quick,
    warmupSeconds: Number(env.BENCH_WARMUP ?? 1),
    rounds: Number(env.BENCH_ROUNDS ?? (quick ? 3 : 5)),
    roundSeconds: Number(env.BENCH_SECONDS ?? (quick ? 2 : 4)),
  };
}

export interface Contender {
  label: string;
  target: Target;
  connections: number;
  /** Runs before each of its rounds (e.g. switch DataLoader batching). */
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

/**
 * Warm-up, then `rounds` rounds with the contenders interleaved (A B A B …),
 * so machine noise hits all of them alike. A round with any error invalidates the run.
 * `settle` runs before every round: requests a timed-out round abandoned must not
 * load the next contender's round.
 */
export async function compare(s: Settings, contenders: Contender[], settle: () => Promise<void> = async () => undefined): Promise<Map<string, Summary>> {
  const results = new Map<string, RoundStats[]>(contenders.map((c) => [c.label, []]));
  for (const c of contenders) {
    await settle();
    await c.before?.();
    const w = await round(c.target, c.connections, s.warmupSeconds);
    await c.after?.();
    if (w.errors) console.error(`  ${c.label}: ${w.errors} errors during warm-up, first: ${w.firstError}`);
  }
  for (let r = 0; r < s.rounds; r++) {
    for (const c of contenders) {
      await settle();
      await c.before?.();
      results.get(c.label)!.push(await round(c.target, c.connections, s.roundSeconds));
      await c.after?.();
    }
  }
  return new Map([...results].map(([k, v]) => [k, summarize(v)]));
}
