import { analyticsStale, rebuildAnalytics } from '../subgraphs/student/analytics/analytics-rebuild.service';
import { readSettings } from '../subgraphs/student/settings.service';
import type { Migration } from './types';

/**
 * Student analytics rollups (docs/flows/analytics.md) built from the history a tenant
 * already has, so its owners' first report does not pay for a year of attendance (a
 * tenant with 10,000 students and 630,000 visits took minutes on FerretDB). Reports
 * build them lazily otherwise; once built, this counts 0 and does nothing.
 */
export const studentAnalyticsRollups: Migration = {
  id: '007-student-analytics-rollups',
  description: 'Build the student analytics rollups (heat map, activity, retention) from existing students and attendance',
  async pending(conn) {
    return (await analyticsStale(conn)) ? 1 : 0;
  },
  async up(conn) {
    if (!(await analyticsStale(conn))) return 0;
    const { documents } = await rebuildAnalytics(conn, (await readSettings(conn)).timezone);
    return documents;
  },
};
