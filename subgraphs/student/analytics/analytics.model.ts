import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/** Counts keyed by day of month ('d05') then hour ('h14'). */
export type DayHourCounts = Record<string, Record<string, number>>;

/**
 * One month of student analytics for one scope (a library, or `all` for the tenant):
 * `_id` is `<scope>|<YYYY-MM>`, so every report reads a few documents by `_id` (the one
 * read FerretDB pushes down) instead of a year of attendance. Sparse: zero counts are absent.
 * Maintained with $inc at check-in, check-out and enrolment (analytics-record.service.ts);
 * rebuilt from attendance and students by analytics-rebuild.service.ts.
 */
export interface AnalyticsMonthDoc {
  _id: string;
  scope: string;
  month: string;
  /** Check-ins by day and hour. */
  ci?: DayHourCounts;
  /** Minutes present (closed visits) by day and hour. */
  pm?: DayHourCounts;
  /** Students enrolled per day ('d05'). */
  nd?: Record<string, number>;
  /** Distinct students who checked in per day ('d05'). */
  ad?: Record<string, number>;
  /** Distinct students who checked in per ISO week, keyed by the week's Monday 'YYYY-MM-DD' (weeks starting this month). */
  aw?: Record<string, number>;
  /** Distinct students who checked in this month. */
  am?: number;
  /** Students enrolled this month: the cohort of this month. */
  nm?: number;
  /** Of this month's cohort, how many checked in k months later ('k1', 'k2', ...). */
  rt?: Record<string, number>;
}

const counts = { type: Schema.Types.Mixed };
export const analyticsMonthSchema = new Schema<AnalyticsMonthDoc>(
  { _id: String, scope: String, month: String, ci: counts, pm: counts, nd: counts, ad: counts, aw: counts, am: Number, nm: Number, rt: counts },
  { collection: 'analytics_months', versionKey: false, strictQuery: 'throw', minimize: true },
);

export const analyticsMonthModel = (conn: Connection) => modelOn(conn, 'AnalyticsMonth', analyticsMonthSchema);

/** Whether the month documents were built for this tenant's history (`_id: 'months'`, the layout version). */
export interface AnalyticsStateDoc {
  _id: string;
  version: number;
  builtAt: Date;
}

export const analyticsStateSchema = new Schema<AnalyticsStateDoc>(
  { _id: String, version: { type: Number, required: true }, builtAt: { type: Date, required: true } },
  { collection: 'analytics_state', versionKey: false, strictQuery: 'throw' },
);

export const analyticsStateModel = (conn: Connection) => modelOn(conn, 'AnalyticsState', analyticsStateSchema);

/** Scope of the whole tenant (library scopes are library ids). */
export const ALL_SCOPE = 'all';
export const monthDocId = (scope: string, month: string) => `${scope}|${month}`;
export const dayKey = (day: string) => `d${day.slice(8, 10)}`;
export const hourKey = (hour: number) => `h${String(hour).padStart(2, '0')}`;
