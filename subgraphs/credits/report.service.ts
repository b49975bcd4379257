import type { CreditsContext } from './context';
import { badInput } from '../../core/errors';
import type { Channel } from './channel.type';
import { ledgerModel, masterLedgerModel, type LedgerDoc } from './ledger.model';
import { SpendPeriod, type CreditProfitRow, type CreditUsageRow, type MessagingSpendRow } from './report.type';
import type { Connection } from 'mongoose';
import { dayIn, monthsIn, rollupDays, rollupMonths, type PeriodRollup } from '../../core/store/period-rollup';
import { isDuplicateKey } from '../../core/store/duplicate-key';
import { usageFactModel, type UsageFactDoc } from './usage-fact.model';
import { addDays, addMonths } from '../../core/tenant-time';
import { usageCheckpointModel, usageRollupModel } from './usage-rollup.model';
import type { MessagingSpendArgs } from './report.input';

const DAY_MS = 86_400_000;

/**
 * FerretDB 1.x computes only the FIRST accumulator of a $group (FerretDB#4616, see billing's
 * revenue report): group by the summed values too, with one count, and fold here.
 */
interface Group {
  _id: { key: string; channel: Channel; reason?: string; delta: number; revenue?: number | null; cost?: number | null };
  n: number;
}

/** Profit per month and channel from the master ledger (platform database). */
export async function creditProfit(ctx: CreditsContext, fromMonth: string, toMonth: string, channel?: Channel): Promise<CreditProfitRow[]> {
  if (Number(toMonth.slice(0, 4)) * 12 + Number(toMonth.slice(5)) - Number(fromMonth.slice(0, 4)) * 12 - Number(fromMonth.slice(5)) >= 60) {
    throw badInput('toMonth', 'the range must be at most 60 months');
  }
  // Derived fields stored at write time (month, revenue, cost): a plain $match/$group, no date operators.
  const groups = await masterLedgerModel(ctx.db.platform()).aggregate<Group>([
    {
      $match: {
        status: 'applied',
        reason: { $in: ['allocation', 'package', 'reversal'] },
        month: { $gte: fromMonth, $lte: toMonth },
        ...(channel ? { channel } : {}),
      },
    },
    { $group: { _id: { key: '$month', channel: '$channel', delta: '$delta', revenue: '$revenuePaise', cost: '$costPaise' }, n: { $sum: 1 } } },
  ]);
  const rows = new Map<string, CreditProfitRow>();
  for (const g of groups) {
    const id = `${g._id.key}|${g._id.channel}`;
    const row = rows.get(id) ?? { month: g._id.key, channel: g._id.channel, creditsSold: 0, revenuePaise: 0, costPaise: 0, marginPaise: 0 };
    row.creditsSold -= g._id.delta * g.n;
    row.revenuePaise += (g._id.revenue ?? 0) * g.n;
    row.costPaise += (g._id.cost ?? 0) * g.n;
    row.marginPaise = row.revenuePaise - row.costPaise;
    rows.set(id, row);
  }
  return [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || a.channel.localeCompare(b.channel));
}

/** Message debits and refunds per day and channel of one tenant database. */
export async function creditUsage(ctx: CreditsContext, fromDay: string, toDay: string, channel?: Channel): Promise<CreditUsageRow[]> {
  if (Date.parse(toDay) - Date.parse(fromDay) > 366 * DAY_MS) throw badInput('toDay', 'the range must be at most 366 days');
  const groups = await ledgerModel(await ctx.tenantDb()).aggregate<Group>([
    { $match: { status: 'applied', reason: { $in: ['message', 'refund'] }, day: { $gte: fromDay, $lte: toDay }, ...(channel ? { channel } : {}) } },
    { $group: { _id: { key: '$day', channel: '$channel', reason: '$reason', delta: '$delta' }, n: { $sum: 1 } } },
  ]);
  const rows = new Map<string, CreditUsageRow>();
  for (const g of groups) {
    const id = `${g._id.key}|${g._id.channel}`;
    const row = rows.get(id) ?? { day: g._id.key, channel: g._id.channel, debits: 0, creditsUsed: 0, creditsRefunded: 0 };
    if (g._id.reason === 'message') [row.debits, row.creditsUsed] = [row.debits + g.n, row.creditsUsed - g._id.delta * g.n];
    else row.creditsRefunded += g._id.delta * g.n;
    rows.set(id, row);
  }
  return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel));
}

/** Message debits and refunds of one channel in a period (credits; counts of entries). */
export interface SpendSums {
  channel: Channel;
  messages: number;
  creditsUsed: number;
  failed: number;
  creditsRefunded: number;
}

/** The spend row of one message debit or refund. */
export function usageRowOf(e: Pick<LedgerDoc, 'channel' | 'reason' | 'delta'>): SpendSums {
  const debit = e.reason === 'message';
  return { channel: e.channel, messages: debit ? 1 : 0, creditsUsed: debit ? -e.delta : 0, failed: debit ? 0 : 1, creditsRefunded: debit ? 0 : e.delta };
}

/**
 * Records the usage fact of an applied message debit or refund of a tenant's ledger
 * (idempotent: a retry that finds its entry may call it again).
 */
export async function recordUsageFact(conn: Connection, e: LedgerDoc): Promise<void> {
  if (e.status !== 'applied' || (e.reason !== 'message' && e.reason !== 'refund') || !e.day) return;
  await usageFactModel(conn)
    .create({ _id: e._id, day: e.day, channel: e.channel, reason: e.reason, delta: e.delta })
    .catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
}

/**
 * The tenant's messaging spend rollup: facts are the ledger's applied message debits and
 * refunds, stamped with the day they were written; closed days and months are summed once
 * into `credit_usage_rollups` (core/store/period-rollup.ts), so a year is a few dozen reads.
 */
export function spendRollup(conn: Connection): PeriodRollup<SpendSums> {
  return {
    store: usageRollupModel(conn),
    checkpoints: usageCheckpointModel(conn),
    async facts(days) {
      const facts = await usageFactModel(conn).find(dayIn(days)).lean<UsageFactDoc[]>();
      const byDay = new Map<string, SpendSums[]>();
      for (const f of facts) (byDay.get(f.day) ?? byDay.set(f.day, []).get(f.day)!).push(usageRowOf(f));
      return byDay;
    },
    async prune(days) {
      await usageFactModel(conn).deleteMany(dayIn(days));
    },
    keyOf: (r) => r.channel,
    add: (a, b) => ({
      channel: a.channel,
      messages: a.messages + b.messages,
      creditsUsed: a.creditsUsed + b.creditsUsed,
      failed: a.failed + b.failed,
      creditsRefunded: a.creditsRefunded + b.creditsRefunded,
    }),
  };
}

/** Messaging spend of the caller's tenant per day or month and channel, months [fromMonth, toMonth]. */
export async function messagingSpend(ctx: CreditsContext, args: MessagingSpendArgs): Promise<MessagingSpendRow[]> {
  const by = args.by ?? SpendPeriod.DAY;
  const months = monthsIn(args.fromMonth, args.toMonth).length;
  const cap = by === SpendPeriod.DAY ? 12 : 36;
  if (months > cap) throw badInput('toMonth', `the range must be at most ${cap} months by ${by}`);
  const rollup = spendRollup(await ctx.tenantDb());
  const now = new Date();
  const periods =
    by === SpendPeriod.DAY
      ? await rollupDays(rollup, `${args.fromMonth}-01`, addDays(addMonths(`${args.toMonth}-01`, 1), -1), now)
      : await rollupMonths(rollup, args.fromMonth, args.toMonth, now);
  const out: MessagingSpendRow[] = [];
  for (const [period, rows] of periods) {
    for (const r of rows) {
      if (args.channel && r.channel !== args.channel) continue;
      out.push({ period, ...r, sent: r.messages - r.failed, creditsSpent: r.creditsUsed - r.creditsRefunded });
    }
  }
  return out;
}
