import type { CreditsContext } from './context';
import { badInput } from '../../core/errors';
import type { Channel } from './channel.type';
import { ledgerModel, masterLedgerModel } from './ledger.model';
import type { CreditProfitRow, CreditUsageRow } from './report.type';

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
