import { trusted, type Connection } from 'mongoose';
import { issueDocumentLink } from '../../core/documents/issue';
import { badInput } from '../../core/errors';
import { addDays, addMonths, daysBetween, istDay } from '../../core/tenant-time';
import { CHANNELS, type Channel } from './channel.type';
import type { CreditsContext } from './context';
import { ledgerModel, type LedgerDoc, type LedgerReason } from './ledger.model';
import { readWallet, tenantBook } from './ledger.service';
import type { CreditStatementArgs } from './statement.input';

/** Renderer name of the credit statement (routes.ts mounts it). */
export const CREDIT_STATEMENT = 'credit-statement';

/** Longest period of one statement (a year, leap or not). */
export const MAX_STATEMENT_DAYS = 366;

export interface Period {
  from: string;
  to: string;
}

/** The period of a month 'YYYY-MM'. */
export const monthPeriod = (month: string): Period => ({ from: `${month}-01`, to: addDays(addMonths(`${month}-01`, 1), -1) });

/** A month, or from..to (both): BAD_USER_INPUT otherwise, or when reversed or longer than a year. */
export function periodOf(args: CreditStatementArgs): Period {
  if (args.month) {
    if (args.from || args.to) throw badInput('month', 'give either month or from and to, not both');
    return monthPeriod(args.month);
  }
  if (!args.from || !args.to) throw badInput(args.from ? 'to' : 'from', 'give month, or both from and to');
  if (args.to < args.from) throw badInput('to', 'must not be before from');
  if (daysBetween(args.from, args.to) + 1 > MAX_STATEMENT_DAYS) throw badInput('to', `the period may span at most ${MAX_STATEMENT_DAYS} days`);
  return { from: args.from, to: args.to };
}

/** The link to the caller's tenant statement for a period (credits:read, checked by the shield). */
export async function issueCreditStatement(ctx: CreditsContext, args: CreditStatementArgs) {
  const period = periodOf(args);
  const name = args.month ?? `${period.from}_${period.to}`;
  return issueDocumentLink(ctx, { kind: CREDIT_STATEMENT, params: { ...period }, format: 'PDF', fileName: `credit-statement-${name}.pdf` });
}

/** Kinds of movement a statement totals. */
export type MovementKind = 'purchases' | 'debits' | 'refunds';
export const KIND_OF: Record<LedgerReason, MovementKind> = {
  allocation: 'purchases',
  package: 'purchases',
  purchase: 'purchases',
  reversal: 'refunds',
  refund: 'refunds',
  message: 'debits',
};

export interface ChannelStatement {
  channel: Channel;
  opening: number;
  closing: number;
  totals: Record<MovementKind, number>;
}

/**
 * Opening balance of a channel on `from`: the balance before the first applied entry of that
 * day or later (its balanceAfter − delta: the chain invariant), else the current head (nothing
 * moved since). Entries carry their Asia/Kolkata `day`, indexed with the channel.
 */
async function openingOf(conn: Connection, channel: Channel, from: string, head: number): Promise<number> {
  const first = await ledgerModel(conn)
    .findOne({ channel, status: 'applied', day: trusted({ $gte: from }) })
    .sort({ seq: 1 })
    .lean<LedgerDoc>();
  return first ? first.balanceAfter - first.delta : head;
}

/** A channel's applied entries of the period, oldest first, streamed. */
export const periodEntries = (conn: Connection, channel: Channel, period: Period) =>
  ledgerModel(conn)
    .find({ channel, status: 'applied', day: trusted({ $gte: period.from, $lte: period.to }) })
    .sort({ seq: 1 })
    .lean<LedgerDoc>()
    .cursor();

/**
 * Per channel: opening, totals by kind, closing = opening + every delta of the period (the
 * chain's running balance: equal to the last entry's balanceAfter). One $group by (channel,
 * reason) with a single accumulator (FerretDB computes only the first one).
 */
export async function statementSummary(conn: Connection, period: Period): Promise<ChannelStatement[]> {
  const wallet = await readWallet(tenantBook(conn));
  const sums = await ledgerModel(conn).aggregate<{ _id: { c: Channel; r: LedgerReason }; n: number }>([
    { $match: { status: 'applied', day: { $gte: period.from, $lte: period.to } } },
    { $group: { _id: { c: '$channel', r: '$reason' }, n: { $sum: '$delta' } } },
  ]);
  return Promise.all(
    CHANNELS.map(async (channel) => {
      const opening = await openingOf(conn, channel, period.from, wallet.heads[channel].balance);
      const totals: Record<MovementKind, number> = { purchases: 0, debits: 0, refunds: 0 };
      for (const s of sums) if (s._id.c === channel) totals[KIND_OF[s._id.r]] += s.n;
      return { channel, opening, totals, closing: opening + totals.purchases + totals.debits + totals.refunds };
    }),
  );
}

/** Today (Asia/Kolkata): a period that ends later is "to date". */
export const todayIst = () => istDay(new Date());
