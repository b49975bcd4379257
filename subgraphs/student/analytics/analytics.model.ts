import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

type Counts = Record<string, number>;
type Nested<T> = Record<string, T>;

/**
 * Student analytics of one scope (a library, or `all` for the tenant), kept as a few
 * documents per scope so a report over a year reads four or five documents by `_id`
 * (the one read FerretDB pushes down) instead of a year of attendance:
 * - `<scope>|<YYYY>`: students of the year (nd, ad, aw, am, nm, rt);
 * - `<scope>|<YYYY>|w`: check-ins and minutes present by month, weekday and hour (cw, pw);
 * - `<scope>|<YYYY-MM>|h`: check-ins and minutes present by day and hour (ci, pm), read only
 *   for the months a heat-map range covers in part.
 * Keys: 'm01' month, 'd05' day of month, 'w1' ISO weekday (Monday), 'h09' hour, 'k1' months
 * after joining, 'YYYY-MM-DD' a week's Monday. Sparse: zero counts are absent.
 * Maintained with $inc at enrolment, check-in and check-out (analytics-record.service.ts);
 * rebuilt from students and attendance by analytics-rebuild.service.ts.
 */
export interface AnalyticsRollupDoc {
  _id: string;
  scope: string;
  /** 'YYYY' or 'YYYY-MM' (the `|h` documents). */
  period: string;
  /** Students enrolled per month and day. */
  nd?: Nested<Counts>;
  /** Distinct students who checked in, per month and day. */
  ad?: Nested<Counts>;
  /** Distinct students who checked in per ISO week, keyed by its Monday (weeks starting this year). */
  aw?: Counts;
  /** Distinct students who checked in, per month. */
  am?: Counts;
  /** Students enrolled per month: the month's cohort. */
  nm?: Counts;
  /** Of each month's cohort, how many checked in k months later. */
  rt?: Nested<Counts>;
  /** Check-ins and minutes present per month, weekday and hour (`|w`). */
  cw?: Nested<Nested<Counts>>;
  pw?: Nested<Nested<Counts>>;
  /** Check-ins and minutes present per day and hour (`|h`). */
  ci?: Nested<Counts>;
  pm?: Nested<Counts>;
  /** Closed months' counts packed into one string each, keyed 'cw_m01', 'pw_m01' (`|w`) or 'ci', 'pm' (`|h`): analytics-pack.service.ts. */
  packed?: Record<string, string>;
}

const counts = { type: Schema.Types.Mixed };
export const analyticsRollupSchema = new Schema<AnalyticsRollupDoc>(
  {
    _id: String,
    scope: String,
    period: String,
    nd: counts,
    ad: counts,
    aw: counts,
    am: counts,
    nm: counts,
    rt: counts,
    cw: counts,
    pw: counts,
    ci: counts,
    pm: counts,
    packed: counts,
  },
  { collection: 'analytics_rollups', versionKey: false, strictQuery: 'throw', minimize: true },
);

export const analyticsRollupModel = (conn: Connection) => modelOn(conn, 'AnalyticsRollup', analyticsRollupSchema);

/** Whether the rollups were built for this tenant's history (`_id: 'rollups'`, the layout version). */
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
/** Which rollup of a period: students (year), weekday × hour (year), day × hour (month). */
export type RollupPart = '' | '|w' | '|h';
export const rollupId = (scope: string, period: string, part: RollupPart = '') => `${scope}|${period}${part}`;
export const monthKey = (dayOrMonth: string) => `m${dayOrMonth.slice(5, 7)}`;
export const dayKey = (day: string) => `d${day.slice(8, 10)}`;
export const hourKey = (hour: number) => `h${String(hour).padStart(2, '0')}`;
export const weekdayKey = (weekday: number) => `w${weekday}`;
export const lagKey = (months: number) => `k${months}`;
