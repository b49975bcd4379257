/** A client of the storm: tokens and ids it writes with. */
export interface StormTarget {
  gatewayUrl: string;
  ownerToken: string;
  superToken: string;
  tenantId: string;
  studentId: string;
}

export interface Ack {
  kind: 'payment' | 'allocation';
  key: string;
}

export interface StormResult {
  sent: number;
  failed: number;
  acked: Ack[];
  /** Operations given up on (never acknowledged) when the storm ended. */
  abandoned: number;
  /** Times (ms since epoch) of successful requests. */
  successes: number[];
}

const PAY = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`;
const ALLOC = `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`;

async function post(url: string, token: string, query: string, variables: unknown): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(45_000),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    return res.ok && !body.errors?.length;
  } catch {
    return false;
  }
}

/**
 * `clients` loops of payments and credit allocations (each allocation debits the
 * platform master wallet and credits the tenant's). Like a real client, each
 * operation is retried with the same idempotency key until acknowledged; new
 * operations start until `until()` says stop, and unacknowledged ones are retried
 * for `drainMs` more.
 */
export async function storm(t: StormTarget, clients: number, tag: string, until: () => boolean, drainMs = 30_000): Promise<StormResult> {
  const r: StormResult = { sent: 0, failed: 0, acked: [], abandoned: 0, successes: [] };
  let stoppedAt = 0;
  const client = async (c: number) => {
    for (let i = 0; !until(); i++) {
      const kind = (c + i) % 2 ? 'payment' : 'allocation';
      const key = `${tag}-${c}-${i}`;
      const [token, query, vars] =
        kind === 'payment'
          ? [t.ownerToken, PAY, { i: { studentId: t.studentId, amount: 100 + i, method: 'CASH', idempotencyKey: key } }]
          : [t.superToken, ALLOC, { i: { tenantId: t.tenantId, channel: 'SMS', amount: 1, idempotencyKey: key } }];
      for (;;) {
        r.sent++;
        if (await post(t.gatewayUrl, token, query, vars)) {
          r.successes.push(Date.now());
          r.acked.push({ kind, key });
          break;
        }
        r.failed++;
        if (until() && Date.now() - (stoppedAt ||= Date.now()) > drainMs) {
          r.abandoned++;
          return;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return r;
}
