import { trusted } from 'mongoose';
import { DAY_MS } from '../../../core/tenant-time';
import { parseId } from '../../../core/ids';
import { libraryQuery } from '../../../core/scope/library-scope';
import { nowOf, type StudentContext } from '../context';
import type { TicketRangeArgs, TicketReportArgs } from './ticket.input';
import { formatTicketNumber, ticketModel, TicketPriority, TicketStatus, type TicketDoc } from './ticket.model';
import { ticketSlaBreachModel, type TicketSlaBreachDoc } from './ticket-sla.model';

const BREACH_LIST = 200;

/** The library part of a report: the one asked for (in scope), or the caller's scope. */
const scopeOf = (ctx: StudentContext, libraryId?: string) =>
  libraryQuery(ctx, libraryId ? parseId(libraryId, 'libraryId') : null, 'libraryId', (l) => parseId(l, 'libraryId'));

const byLibrary = <T>(rows: Map<string, T>, libraryId: string, make: () => T): T => {
  let row = rows.get(libraryId);
  if (!row) rows.set(libraryId, (row = make()));
  return row;
};

/** Open tickets per library by age (<1 d, 1-3 d, 3-7 d, >7 d): one indexed read of the open ones, two fields each. */
export async function ticketAgeReport(ctx: StudentContext, args: TicketReportArgs) {
  const now = nowOf(ctx).getTime();
  const open = await ticketModel(await ctx.tenantDb())
    .find({ status: trusted({ $in: [TicketStatus.OPEN, TicketStatus.IN_PROGRESS] }), ...scopeOf(ctx, args.libraryId) }, { libraryId: 1, createdAt: 1 })
    .lean<Pick<TicketDoc, 'libraryId' | 'createdAt'>[]>();
  const rows = new Map<
    string,
    { libraryId: string; underOneDay: number; oneToThreeDays: number; threeToSevenDays: number; overSevenDays: number; total: number }
  >();
  for (const t of open) {
    const libraryId = t.libraryId.toHexString();
    const row = byLibrary(rows, libraryId, () => ({ libraryId, underOneDay: 0, oneToThreeDays: 0, threeToSevenDays: 0, overSevenDays: 0, total: 0 }));
    const days = (now - t.createdAt.getTime()) / DAY_MS;
    if (days < 1) row.underOneDay++;
    else if (days < 3) row.oneToThreeDays++;
    else if (days < 7) row.threeToSevenDays++;
    else row.overSevenDays++;
    row.total++;
  }
  return [...rows.values()].sort((a, b) => a.libraryId.localeCompare(b.libraryId));
}

/** Breaches detected in [from, to): count, by priority, and the newest ones. */
export async function ticketSlaBreaches(ctx: StudentContext, args: TicketRangeArgs) {
  const docs = await ticketSlaBreachModel(await ctx.tenantDb())
    .find({ detectedAt: trusted({ $gte: args.from, $lt: args.to }), ...scopeOf(ctx, args.libraryId) })
    .sort({ detectedAt: -1 })
    .lean<TicketSlaBreachDoc[]>();
  const byPriority = Object.values(TicketPriority).map((priority) => ({ priority, count: docs.filter((d) => d.priority === priority).length }));
  return {
    count: docs.length,
    byPriority,
    breaches: docs.slice(0, BREACH_LIST).map((d) => ({
      ticketId: d.ticketId.toHexString(),
      number: formatTicketNumber(d.number),
      libraryId: d.libraryId.toHexString(),
      kind: d.kind,
      priority: d.priority,
      dueAt: d.dueAt,
      detectedAt: d.detectedAt,
    })),
  };
}

/** Tickets resolved in [from, to) per library with their mean resolution time (reopened ones count from their last resolution). */
export async function ticketResolutionTimes(ctx: StudentContext, args: TicketRangeArgs) {
  const docs = await ticketModel(await ctx.tenantDb())
    .find({ resolvedAt: trusted({ $gte: args.from, $lt: args.to }), ...scopeOf(ctx, args.libraryId) }, { libraryId: 1, createdAt: 1, resolvedAt: 1 })
    .lean<Pick<TicketDoc, 'libraryId' | 'createdAt' | 'resolvedAt'>[]>();
  const rows = new Map<string, { libraryId: string; resolved: number; totalMs: number }>();
  for (const t of docs) {
    const libraryId = t.libraryId.toHexString();
    const row = byLibrary(rows, libraryId, () => ({ libraryId, resolved: 0, totalMs: 0 }));
    row.resolved++;
    row.totalMs += t.resolvedAt!.getTime() - t.createdAt.getTime();
  }
  return [...rows.values()]
    .sort((a, b) => a.libraryId.localeCompare(b.libraryId))
    .map((r) => ({ libraryId: r.libraryId, resolved: r.resolved, meanMinutes: Math.round(r.totalMs / r.resolved / 60_000) }));
}
