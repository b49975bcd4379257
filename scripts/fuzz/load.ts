import autocannon from 'autocannon';

export interface LoadReport {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  non2xx: number;
  graphqlErrors: number;
  transportErrors: number;
  timeouts: number;
  p50: number;
  p95: number;
  p99: number;
  firstError?: string;
}

/** A mixed read workload: plain, federated (3 subgraphs) and list queries. */
const MIX = (studentId: string) => [
  '{ libraries { id name occupancy { occupied free } } }',
  `{ student(id: "${studentId}") { name payments { amount } messageCount } }`,
  '{ students(first: 20) { totalCount edges { node { id name } } } }',
  '{ tenant { name wallet { sms } } }',
  '{ payments(first: 20) { id amount } }',
];

/**
 * `connections` concurrent clients for `seconds`, each cycling through the mix as one
 * of `tokens` (client i is user i mod n): distinct users, so the gateway cannot
 * answer them all with one shared fetch.
 */
export async function runLoad(url: string, tokens: string[], studentId: string, connections: number, seconds: number): Promise<LoadReport> {
  let graphqlErrors = 0;
  let firstError: string | undefined;
  let nextClient = 0;
  const requests = MIX(studentId).map((query) => ({
    method: 'POST' as const,
    body: JSON.stringify({ query }),
    setupRequest: (req: autocannon.Request, context: object) => {
      const c = context as { token?: string };
      c.token ??= tokens[nextClient++ % tokens.length];
      return { ...req, headers: { ...req.headers, authorization: `Bearer ${c.token}` } };
    },
    onResponse: (_status: number, body: string) => {
      if (body.includes('"errors"')) {
        graphqlErrors++;
        firstError ??= body.slice(0, 300);
      }
    },
  }));
  // Every response time, for an exact p95 (autocannon's summary has p90 and p97.5 only).
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 30,
        headers: { 'content-type': 'application/json' },
        requests,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => void times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0);
  return {
    connections,
    seconds,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    non2xx: result.non2xx,
    graphqlErrors,
    transportErrors: result.errors,
    timeouts: result.timeouts,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    firstError,
  };
}
