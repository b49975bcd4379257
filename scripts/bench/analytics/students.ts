import { readSettings } from '../../../subgraphs/student/settings.service';
import { rebuildAnalytics } from '../../../subgraphs/student/analytics/analytics-rebuild.service';
import type { AnalyticsBenchPart, AnalyticsBenchTenant, AnalyticsCase } from './types';

const day = (d: Date) => d.toISOString().slice(0, 10);

const HEATMAP = `query($f: String!, $t: String!, $l: ID) { occupancyHeatmap(from: $f, to: $t, libraryId: $l) { checkIns weekdayDays checkInsByHour averagePresentByHour } }`;
const ACTIVITY = `query($f: String!, $t: String!, $g: ActivityGranularity, $l: ID) { studentActivity(from: $f, to: $t, granularity: $g, libraryId: $l) { period activeStudents newStudents } }`;
const RETENTION = `query($f: String!, $t: String!, $l: ID) { studentRetention(fromMonth: $f, toMonth: $t, libraryId: $l) { month joined retained { monthsLater active rate complete } } }`;

/**
 * Student analytics: its history is the students and attendance run.ts inserted;
 * the seed builds the month documents from them with the function the app itself
 * uses for tenants with history (analytics-rebuild.service.ts).
 */
export const studentsPart: AnalyticsBenchPart = {
  name: 'students',
  async seed(t: AnalyticsBenchTenant) {
    const started = Date.now();
    const { documents } = await rebuildAnalytics(t.conn, (await readSettings(t.conn)).timezone);
    console.log(`  students: ${documents} rollup documents rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
  cases(t: AnalyticsBenchTenant): AnalyticsCase[] {
    const last = new Date(t.to.getTime() - 86_400_000);
    const [from, to] = [day(t.from), day(last)];
    const lib = t.libraryIds[0]!.toHexString();
    const month30 = day(new Date(last.getTime() - 29 * 86_400_000));
    return [
      { name: 'occupancyHeatmap, year', query: HEATMAP, variables: { f: from, t: to } },
      { name: 'occupancyHeatmap, year, one library', query: HEATMAP, variables: { f: from, t: to, l: lib } },
      { name: 'occupancyHeatmap, 30 days', query: HEATMAP, variables: { f: month30, t: to } },
      { name: 'studentActivity DAY, year', query: ACTIVITY, variables: { f: from, t: to, g: 'DAY' } },
      { name: 'studentActivity WEEK, year', query: ACTIVITY, variables: { f: from, t: to, g: 'WEEK' } },
      { name: 'studentActivity MONTH, year, one library', query: ACTIVITY, variables: { f: from, t: to, g: 'MONTH', l: lib } },
      { name: 'studentRetention, 12 cohorts', query: RETENTION, variables: { f: from.slice(0, 7), t: to.slice(0, 7) } },
    ];
  },
};
