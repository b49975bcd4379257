import { readFileSync } from 'node:fs';

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux; NaN elsewhere). */
export function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** CPU ms each of `pids` uses while `fn` runs. */
export async function cpuDuring<T>(pids: Record<string, number[]>, fn: () => Promise<T>): Promise<{ result: T; ms: Record<string, number> }> {
  const sum = (ps: number[]) => ps.reduce((s, p) => s + cpuMs(p), 0);
  const before = Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, sum(ps)]));
  const result = await fn();
  return { result, ms: Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, sum(ps) - before[k]])) };
}
