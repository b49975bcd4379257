import type { Connection } from 'mongoose';
import type { Ack } from './storm';

export interface Verdict {
  lost: number;
  duplicatePayments: number;
  /** Chains where sum(delta) == head balance == the balance the API reports, no gaps. */
  ledgerOk: boolean;
  detail: string[];
}

type Entry = { seq?: number; delta: number; balanceAfter: number; key: string; status: string; channel: string };

/** sum(delta) == last balanceAfter == `reported`, seq 1..n without gaps. */
function checkChain(name: string, entries: Entry[], reported: number, detail: string[]): boolean {
  const applied = entries.filter((e) => e.status === 'applied' && e.channel === 'sms').sort((a, b) => a.seq! - b.seq!);
  const sum = applied.reduce((s, e) => s + e.delta, 0);
  const head = applied.at(-1)?.balanceAfter ?? 0;
  const gaps = applied.some((e, i) => e.seq !== i + 1);
  const ok = sum === head && head === reported && !gaps;
  if (!ok) detail.push(`${name}: sum ${sum}, head ${head}, reported ${reported}, gaps ${gaps}`);
  return ok;
}

/** Checks the acknowledged writes and the credit chains straight in the database. */
export async function verify(tenantDb: Connection, platformDb: Connection, acked: Ack[], api: { tenantSms: number; masterSms: number }): Promise<Verdict> {
  const detail: string[] = [];
  const payments = await tenantDb
    .collection('payments')
    .find({}, { projection: { idempotencyKey: 1 } })
    .toArray();
  const paid = new Map<string, number>();
  for (const p of payments) if (p.idempotencyKey) paid.set(p.idempotencyKey, (paid.get(p.idempotencyKey) ?? 0) + 1);
  const ledger = (await tenantDb.collection('credit_ledger').find({}).toArray()) as unknown as Entry[];
  const master = (await platformDb.collection('credit_master_ledger').find({}).toArray()) as unknown as Entry[];
  const allocated = new Set(ledger.filter((e) => e.status === 'applied').map((e) => e.key));
  let lost = 0;
  for (const a of acked) {
    const found = a.kind === 'payment' ? paid.has(a.key) : allocated.has(`allocation:${a.key}`);
    if (!found) lost++;
  }
  const duplicatePayments = [...paid.values()].filter((n) => n > 1).length;
  const tenantOk = checkChain('tenant sms', ledger, api.tenantSms, detail);
  const masterOk = checkChain('master sms', master, api.masterSms, detail);
  return { lost, duplicatePayments, ledgerOk: tenantOk && masterOk, detail };
}
