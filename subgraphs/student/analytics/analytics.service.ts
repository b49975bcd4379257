import type { Connection } from 'mongoose';
import { badInput } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope, libraryScope } from '../../../core/scope/library-scope';
import { addDays } from '../../../core/tenant-time';
import { nowOf, type StudentContext } from '../context';
import { dayRange } from '../day.service';
import { readSettings } from '../settings.service';
import { ALL_SCOPE, analyticsMonthModel, dayKey, hourKey, monthDocId, type AnalyticsMonthDoc } from './analytics.model';
import { ensureAnalytics } from './analytics-rebuild.service';
import { localClock, monthRange, monthsBetween, shiftMonth, weekdayOf, weekStart } from './analytics-time.service';
import type { AnalyticsRangeArgs, StudentActivityArgs, StudentRetentionArgs } from './analytics.input';
import { ActivityGranularity } from './analytics.type';

const MAX_DAYS = 366;
const MAX_COHORTS = 24;

/** The month documents a report sums: the library asked for (in scope), the caller's libraries, or the tenant's `all`. */
function scopesOf(ctx: StudentContext, libraryId?: string | null): string[] {
  if (libraryId) {
    const id = parseId(libraryId, 'libraryId').toHexString();
    assertLibraryInScope(ctx, id);
    return [id];
  }
  return [...(libraryScope(ctx) ?? [ALL_SCOPE])];
}

/** Adds b's counts into a (nested objects of numbers). */
function addInto(a: Record<string, unknown>, b: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(b)) {
    if (typeof v === 'number') a[k] = ((a[k] as number | undefined) ?? 0) + v;
    else if (v && typeof v === 'object') addInto((a[k] ??= {}) as Record<string, unknown>, v as Record<string, unknown>);
  }
}

interface Loaded {
  conn: Connection;
  timezone: string;
  today: string;
  months: Map<string, AnalyticsMonthDoc>;
}

/** The tenant's months (summed over the scopes): one `_id` read each, in parallel (FerretDB pushes `_id` down, not `$in`). */
async function load(ctx: StudentContext, scopes: string[], months: string[]): Promise<Loaded> {
  const conn = await ctx.tenantDb();
  const { timezone } = await readSettings(conn);
  await ensureAnalytics(conn, timezone);
  const Months = analyticsMonthModel(conn);
  const docs = await Promise.all(scopes.flatMap((s) => months.map((m) => Months.findById(monthDocId(s, m)).lean<AnalyticsMonthDoc>())));
  const byMonth = new Map<string, AnalyticsMonthDoc>();
  for (const d of docs) {
    if (!d) continue;
    const into = byMonth.get(d.month);
    if (!into) byMonth.set(d.month, { ...d, _id: d.month });
    else addInto(into as unknown as Record<string, unknown>, { ...d, _id: undefined, scope: undefined, month: undefined } as Record<string, unknown>);
  }
  return { conn, timezone, today: localClock(timezone, nowOf(ctx)).day, months: byMonth };
}

const monthOf = (l: Loaded, day: string) => l.months.get(day.slice(0, 7));
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** Check-ins and average presence per weekday × hour over from..to. */
export async function occupancyHeatmap(ctx: StudentContext, args: AnalyticsRangeArgs) {
  const days = dayRange(args.from, args.to, MAX_DAYS, 'to');
  const l = await load(ctx, scopesOf(ctx, args.libraryId), monthRange(args.from.slice(0, 7), args.to.slice(0, 7)));
  const checkIns = Array<number>(168).fill(0);
  const minutes = Array<number>(168).fill(0);
  const weekdayDays = Array<number>(7).fill(0);
  for (const day of days) {
    const w = weekdayOf(day);
    if (day <= l.today) weekdayDays[w - 1]!++;
    const m = monthOf(l, day);
    const ci = m?.ci?.[dayKey(day)];
    const pm = m?.pm?.[dayKey(day)];
    if (!ci && !pm) continue;
    for (let h = 0; h < 24; h++) {
      checkIns[(w - 1) * 24 + h]! += ci?.[hourKey(h)] ?? 0;
      minutes[(w - 1) * 24 + h]! += pm?.[hourKey(h)] ?? 0;
    }
  }
  const cells = checkIns.map((n, i) => {
    const weekday = Math.floor(i / 24) + 1;
    const divisor = weekdayDays[weekday - 1]!;
    return { weekday, hour: i % 24, checkIns: n, averagePresent: divisor ? round(minutes[i]! / 60 / divisor, 2) : 0 };
  });
  return { from: args.from, to: args.to, timezone: l.timezone, checkIns: checkIns.reduce((a, b) => a + b, 0), weekdayDays, cells };
}

/** Active and new students per day, ISO week or month of from..to (whole periods: a week or month is counted in full). */
export async function studentActivity(ctx: StudentContext, args: StudentActivityArgs) {
  dayRange(args.from, args.to, MAX_DAYS, 'to');
  const scopes = scopesOf(ctx, args.libraryId);
  if (args.granularity === ActivityGranularity.MONTH) {
    const months = monthRange(args.from.slice(0, 7), args.to.slice(0, 7));
    const l = await load(ctx, scopes, months);
    return months.map((month) => {
      const m = l.months.get(month);
      const end = addDays(`${shiftMonth(month, 1)}-01`, -1);
      return { period: month, start: `${month}-01`, end, activeStudents: m?.am ?? 0, newStudents: m?.nm ?? 0 };
    });
  }
  if (args.granularity === ActivityGranularity.WEEK) {
    const mondays: string[] = [];
    for (let d = weekStart(args.from); d <= args.to; d = addDays(d, 7)) mondays.push(d);
    const lastDay = addDays(mondays[mondays.length - 1]!, 6);
    const l = await load(ctx, scopes, monthRange(mondays[0]!.slice(0, 7), lastDay.slice(0, 7)));
    return mondays.map((monday) => {
      const end = addDays(monday, 6);
      let joined = 0;
      for (let d = monday; d <= end; d = addDays(d, 1)) joined += monthOf(l, d)?.nd?.[dayKey(d)] ?? 0;
      return { period: monday, start: monday, end, activeStudents: monthOf(l, monday)?.aw?.[monday] ?? 0, newStudents: joined };
    });
  }
  const days = dayRange(args.from, args.to, MAX_DAYS, 'to');
  const l = await load(ctx, scopes, monthRange(args.from.slice(0, 7), args.to.slice(0, 7)));
  return days.map((day) => {
    const m = monthOf(l, day);
    return { period: day, start: day, end: day, activeStudents: m?.ad?.[dayKey(day)] ?? 0, newStudents: m?.nd?.[dayKey(day)] ?? 0 };
  });
}

/** Cohorts fromMonth..toMonth: enrolled, and how many checked in 1..months months later. */
export async function studentRetention(ctx: StudentContext, args: StudentRetentionArgs) {
  if (args.toMonth < args.fromMonth) throw badInput('toMonth', 'must not be before fromMonth');
  if (monthsBetween(args.fromMonth, args.toMonth) >= MAX_COHORTS) throw badInput('toMonth', `the range may span at most ${MAX_COHORTS} months`);
  const cohorts = monthRange(args.fromMonth, args.toMonth);
  const l = await load(ctx, scopesOf(ctx, args.libraryId), cohorts);
  const current = l.today.slice(0, 7);
  return cohorts.map((month) => {
    const m = l.months.get(month);
    const joined = m?.nm ?? 0;
    const retained = [];
    for (let k = 1; k <= args.months && shiftMonth(month, k) <= current; k++) {
      const active = m?.rt?.[`k${k}`] ?? 0;
      retained.push({ monthsLater: k, active, rate: joined ? round(active / joined, 4) : 0, complete: shiftMonth(month, k) < current });
    }
    return { month, joined, retained };
  });
}
