import { hostileCases } from './cases';
import { judge } from './check';

export interface FuzzTarget {
  graphqlUrl: string;
  token: string;
}

export interface FuzzReport {
  sent: number;
  byKind: Record<string, number>;
  byCode: Record<string, number>;
  leaks: string[];
  unclear: string[];
  /** Requests the gateway did not answer (connection dropped, timeout): a crash or hang sign. */
  unanswered: string[];
  healthFailures: number;
  heapStartMb: number;
  heapEndMb: number;
  rssPeakMb: number;
  seconds: number;
}

const mb = (n: number) => Math.round(n / 1048576);

/** Sends `n` hostile requests (`concurrency` at a time) and classifies every answer. */
export async function runFuzz(target: FuzzTarget, n: number, seed: number, concurrency = 8): Promise<FuzzReport> {
  const started = Date.now();
  global.gc?.();
  const report: FuzzReport = {
    sent: 0,
    byKind: {},
    byCode: {},
    leaks: [],
    unclear: [],
    unanswered: [],
    healthFailures: 0,
    heapStartMb: mb(process.memoryUsage().heapUsed),
    heapEndMb: 0,
    rssPeakMb: 0,
    seconds: 0,
  };
  const chunk = 500;
  for (let from = 0; from < n; from += chunk) {
    // Generated per chunk so the cases themselves never pile up in memory.
    const cases = hostileCases(Math.min(chunk, n - from), seed + from);
    let next = 0;
    const worker = async () => {
      for (let c = cases[next++]; c; c = cases[next++]) {
        report.sent++;
        report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
        try {
          const res = await fetch(target.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': c.contentType ?? 'application/json', authorization: `Bearer ${target.token}` },
            body: c.body,
            signal: AbortSignal.timeout(30_000),
          });
          const v = judge(res.status, await res.text());
          report.byCode[v.code] = (report.byCode[v.code] ?? 0) + 1;
          if (v.leak) report.leaks.push(`${c.kind}: ${v.leak}`);
          if (v.unclear) report.unclear.push(`${c.kind}: ${v.unclear}`);
        } catch (err) {
          report.unanswered.push(`${c.kind}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const health = await fetch(target.graphqlUrl.replace('/graphql', '/health')).then(
      (r) => r.ok,
      () => false,
    );
    if (!health) report.healthFailures++;
    report.rssPeakMb = Math.max(report.rssPeakMb, mb(process.memoryUsage().rss));
  }
  global.gc?.();
  report.heapEndMb = mb(process.memoryUsage().heapUsed);
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
