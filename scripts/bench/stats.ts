/** Percentiles and the printed table of the subscription benchmark. */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (no interpolation: every figure is a measured sample). */
export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] };
}

export interface RoundResult {
  /** What the round is (tenants, roles, pacing) and on which gateway (multiplex on/off). */
  label: string;
  subscribers: number;
  tenants: number;
  connections: number;
  /** Mutations in all (over all tenants). */
  events: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Events with GraphQL errors or an unexpected payload, plus subscriptions that failed or closed. */
  bad: number;
  /** Subscription groups while subscribed, and payload executions during the round. */
  groups: number;
  executions: number;
  fromResponse: Percentiles;
  fromSend: Percentiles;
  /** Mutation round trip (send → HTTP response), for scale. */
  mutation: Percentiles;
  /** First mutation sent → last event received. */
  wallMs: number;
  setupMs: number;
  /** CPU time of this process (gateways, subgraphs; all threads) from the first mutation until the last event. */
  cpuMs: number;
  /** CPU time of the viewers' process over the same span (when they run in one). */
  clientCpuMs?: number;
  rss: { idle: number; subscribed: number; peak: number };
  note?: string;
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const row = (p: Percentiles) => [p.p50, p.p95, p.p99, p.max].map(ms).join(' / ');

/** One block per N, as plain text so it can be pasted into docs/performance.md. */
export function formatRound(r: RoundResult): string {
  const lines: [string, string][] = [
    ['subscribers (N) / connections / tenants', `${r.subscribers} / ${r.connections} / ${r.tenants}`],
    ['events (mutations, all tenants)', `${r.events}`],
    ['deliveries expected', `${r.expected}`],
    ['subscription groups / payload executions', `${r.groups} / ${r.executions}`],
    ['received', `${r.received}`],
    ['lost / duplicated / bad', `${r.lost} / ${r.duplicates} / ${r.bad}`],
    ['latency from mutation response p50/p95/p99/max', `${row(r.fromResponse)} ms`],
    ['latency from mutation send    p50/p95/p99/max', `${row(r.fromSend)} ms`],
    ['mutation round trip           p50/p95/p99/max', `${row(r.mutation)} ms`],
    ['wall time (first send → last event)', `${(r.wallMs / 1000).toFixed(2)} s`],
    ['deliveries per second', `${Math.round(r.received / (r.wallMs / 1000))}`],
    ['server process CPU per delivery', `${(r.cpuMs / Math.max(1, r.received)).toFixed(2)} ms`],
    ...(r.clientCpuMs === undefined
      ? []
      : [['viewers process CPU per delivery', `${(r.clientCpuMs / Math.max(1, r.received)).toFixed(2)} ms`] as [string, string]]),
    ['subscribe time (open + wait until active)', `${(r.setupMs / 1000).toFixed(2)} s`],
    ['process RSS idle / subscribed / peak', `${mb(r.rss.idle)} / ${mb(r.rss.subscribed)} / ${mb(r.rss.peak)}`],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  const body = lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
  return `${r.label}${r.note ? `  (${r.note})` : ''}\n${body}`;
}

/** Multiplex on vs off, one line per round: the table for docs/performance.md. */
export function formatComparison(results: RoundResult[]): string {
  const head =
    '| round | N | groups | executions | p50 / p95 / p99 from response (ms) | p95 from send (ms) | CPU/delivery (ms) | deliveries/s | peak RSS | lost / dup / wrong |';
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${r.subscribers} | ${r.groups} | ${r.executions} | ${[r.fromResponse.p50, r.fromResponse.p95, r.fromResponse.p99].map(ms).join(' / ')} | ${ms(r.fromSend.p95)} | ` +
      `${(r.cpuMs / Math.max(1, r.received)).toFixed(2)} | ${Math.round(r.received / (r.wallMs / 1000))} | ${mb(r.rss.peak)} | ${r.lost} / ${r.duplicates} / ${r.bad} |`,
  );
  return [head, `|${'---|'.repeat(10)}`, ...rows].join('\n');
}
