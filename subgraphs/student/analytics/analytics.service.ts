import type { Connection } from 'mongoose';
import { badInput } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope, libraryScope } from '../../../core/scope/library-scope';
import { addDays } from '../../../core/tenant-time';
import { nowOf, type StudentContext } from '../context';
import { dayRange } from '../day.service';
import { readSettings } from '../settings.service';
import {
  ALL_SCOPE,
  analyticsRollupModel,
  dayKey,
  hourKey,
  lagKey,
  monthKey,
  rollupId,
  weekdayKey,
  type AnalyticsRollupDoc,
  type RollupPart,
} from './analytics.model';
import { ensureAnalytics } from './analytics-rebuild.service';
import { addInto, expand, sealRead } from './analytics-pack.service';
import { localClock, monthRange, monthsBetween, shiftMonth, weekdayOf, weekStart } from './analytics-time.service';
import type { AnalyticsRangeArgs, StudentActivityArgs, StudentRetentionArgs } from './analytics.input';
import { ActivityGranularity } from './analytics.type';

const MAX_DAYS = 366;
const MAX_COHORTS = 24;

/** The rollups a report sums: the library asked for (in scope), the caller's libraries, or the tenant's `all`. */
function scopesOf(ctx: StudentContext, libraryId?: string | null): string[] {
  if (libraryId) {
    const id = parseId(libraryId, 'libraryId').toHexString();
    assertLibraryInScope(ctx, id);
    return [id];
  }
  return [...(libraryScope(ctx) ?? [ALL_SCOPE])];
}

interface Tenant {
  conn: Connection;
  timezone: string;
  today: string;
}

/** The tenant's database, time zone and today; builds the rollups on a tenant's first report. */
async function prepare(ctx: StudentContext): Promise<Tenant> {
  const conn = await ctx.tenantDb();
  const { timezone } = await readSettings(conn);
  await ensureAnalytics(conn, timezone);
  return { conn, timezone, today: localClock(timezone, nowOf(ctx)).day };
}

type Rollups = Map<string, AnalyticsRollupDoc>;

/** One part of these periods, summed over the scopes: one `_id` read each, in parallel (FerretDB pushes `_id` down, not `$in`). */
async function read(t: Tenant, scopes: string[], periods: string[], part: RollupPart = ''): Promise<Rollups> {
  const Rollup = analyticsRollupModel(t.conn);
  const found = await Promise.all(scopes.flatMap((s) => periods.map((p) => Rollup.findById(rollupId(s, p, part)).lean<AnalyticsRollupDoc>())));
  const docs = found.filter((d): d is AnalyticsRollupDoc => d !== null);
  await sealRead(t.conn, docs, t.today);
  const byPeriod: Rollups = new Map();
  for (const d of docs.map(expand)) {
    const into = byPeriod.get(d.period);
    const { _id, scope, period, ...counts } = d;
    if (!into) byPeriod.set(period, { _id, scope, period, ...counts });
    else addInto(into as unknown as Record<string, unknown>, counts);
  }
  return byPeriod;
}

const yearsOf = (fromDay: string, toDay: string) => {
  const years: string[] = [];
  for (let y = Number(fromDay.slice(0, 4)); y <= Number(toDay.slice(0, 4)); y++) years.push(String(y));
  return years;
};
const yearDoc = (r: Rollups, dayOrMonth: string) => r.get(dayOrMonth.slice(0, 4));
const lastDayOf = (month: string) => addDays(`${shiftMonth(month, 1)}-01`, -1);
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Check-ins and average presence per weekday × hour over from..to: months the range
 * covers whole from the year's weekday × hour rollup, the months at its ends by day.
 */
export async function occupancyHeatmap(ctx: StudentContext, args: AnalyticsRangeArgs) {
  const days = dayRange(args.from, args.to, MAX_DAYS, 'to');
  const scopes = scopesOf(ctx, args.libraryId);
  const months = monthRange(args.from.slice(0, 7), args.to.slice(0, 7));
  const whole = new Set(months.filter((m) => `${m}-01` >= args.from && lastDayOf(m) <= args.to));
  const partial = months.filter((m) => !whole.has(m));
  const t = await prepare(ctx);
  const [byWeekday, byDay] = await Promise.all([
    whole.size ? read(t, scopes, yearsOf(args.from, args.to), '|w') : Promise.resolve<Rollups>(new Map()),
    read(t, scopes, partial, '|h'),
  ]);
  const checkIns = Array<number>(168).fill(0);
  const minutes = Array<number>(168).fill(0);
  const weekdayDays = Array<number>(7).fill(0);
  const add = (weekday: number, ci?: Record<string, number>, pm?: Record<string, number>) => {
    if (!ci && !pm) return;
    for (let hour = 0; hour < 24; hour++) {
      checkIns[(weekday - 1) * 24 + hour]! += ci?.[hourKey(hour)] ?? 0;
      minutes[(weekday - 1) * 24 + hour]! += pm?.[hourKey(hour)] ?? 0;
    }
  };
  for (const m of whole) {
    const y = yearDoc(byWeekday, m);
    for (let wd = 1; wd <= 7; wd++) add(wd, y?.cw?.[monthKey(m)]?.[weekdayKey(wd)], y?.pw?.[monthKey(m)]?.[weekdayKey(wd)]);
  }
  for (const day of days) {
    const wd = weekdayOf(day);
    if (day <= t.today) weekdayDays[wd - 1]!++;
    const m = byDay.get(day.slice(0, 7));
    if (m) add(wd, m.ci?.[dayKey(day)], m.pm?.[dayKey(day)]);
  }
  const rows = [1, 2, 3, 4, 5, 6, 7].map((wd) => Array.from({ length: 24 }, (_, hour) => (wd - 1) * 24 + hour));
  return {
    from: args.from,
    to: args.to,
    timezone: t.timezone,
    checkIns: checkIns.reduce((a, b) => a + b, 0),
    weekdayDays,
    checkInsByHour: rows.map((row) => row.map((i) => checkIns[i]!)),
    averagePresentByHour: rows.map((row, w) => row.map((i) => (weekdayDays[w] ? round(minutes[i]! / 60 / weekdayDays[w]!, 2) : 0))),
  };
}

/** Students enrolled on a day. */
const joinedOn = (r: Rollups, day: string) => yearDoc(r, day)?.nd?.[monthKey(day)]?.[dayKey(day)] ?? 0;

/** Active and new students per day, ISO week or month of from..to (whole periods: a week or month is counted in full). */
export async function studentActivity(ctx: StudentContext, args: StudentActivityArgs) {
  const days = dayRange(args.from, args.to, MAX_DAYS, 'to');
  const scopes = scopesOf(ctx, args.libraryId);
  const t = await prepare(ctx);
  if (args.granularity === ActivityGranularity.MONTH) {
    const r = await read(t, scopes, yearsOf(args.from, args.to));
    return monthRange(args.from.slice(0, 7), args.to.slice(0, 7)).map((month) => {
      const y = yearDoc(r, month);
      const [activeStudents, newStudents] = [y?.am?.[monthKey(month)] ?? 0, y?.nm?.[monthKey(month)] ?? 0];
      return { period: month, start: `${month}-01`, end: lastDayOf(month), activeStudents, newStudents };
    });
  }
  if (args.granularity === ActivityGranularity.WEEK) {
    const mondays: string[] = [];
    for (let d = weekStart(args.from); d <= args.to; d = addDays(d, 7)) mondays.push(d);
    const r = await read(t, scopes, yearsOf(mondays[0]!, addDays(mondays[mondays.length - 1]!, 6)));
    return mondays.map((monday) => {
      const end = addDays(monday, 6);
      let joined = 0;
      for (let d = monday; d <= end; d = addDays(d, 1)) joined += joinedOn(r, d);
      return { period: monday, start: monday, end, activeStudents: yearDoc(r, monday)?.aw?.[monday] ?? 0, newStudents: joined };
    });
  }
  const r = await read(t, scopes, yearsOf(args.from, args.to));
  return days.map((day) => {
    const activeStudents = yearDoc(r, day)?.ad?.[monthKey(day)]?.[dayKey(day)] ?? 0;
    return { period: day, start: day, end: day, activeStudents, newStudents: joinedOn(r, day) };
  });
}

/** Cohorts fromMonth..toMonth: enrolled, and how many checked in 1..months months later. */
export async function studentRetention(ctx: StudentContext, args: StudentRetentionArgs) {
  if (args.toMonth < args.fromMonth) throw badInput('toMonth', 'must not be before fromMonth');
  if (monthsBetween(args.fromMonth, args.toMonth) >= MAX_COHORTS) throw badInput('toMonth', `the range may span at most ${MAX_COHORTS} months`);
  const scopes = scopesOf(ctx, args.libraryId);
  const t = await prepare(ctx);
  const r = await read(t, scopes, yearsOf(args.fromMonth, args.toMonth));
  const current = t.today.slice(0, 7);
  return monthRange(args.fromMonth, args.toMonth).map((month) => {
    const y = yearDoc(r, month);
    const joined = y?.nm?.[monthKey(month)] ?? 0;
    const retained = [];
    for (let k = 1; k <= args.months && shiftMonth(month, k) <= current; k++) {
      const active = y?.rt?.[monthKey(month)]?.[lagKey(k)] ?? 0;
      retained.push({ monthsLater: k, active, rate: joined ? round(active / joined, 4) : 0, complete: shiftMonth(month, k) < current });
    }
    return { month, joined, retained };
  });
}
