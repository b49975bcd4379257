import { backfillAttendance, backfillStudents } from '../subgraphs/student/analytics-backfill.service';
import { readSettings } from '../subgraphs/student/settings.service';
import type { Migration } from './types';

/**
 * Derived fields reports group on: attendance `day`/`minutes` (in the tenant's
 * time zone) and student `activeAt`. The services backfill lazily on first
 * report; this does it for every tenant ahead of time.
 */
export const backfillAnalytics: Migration = {
  id: '002-backfill-analytics-fields',
  description: 'Backfill attendance.day/minutes and students.activeAt',
  async pending(conn) {
    const visits = await conn.db!.collection('attendance').countDocuments({ day: null });
    const students = await conn.db!.collection('students').countDocuments({ activeAt: null });
    return visits + students;
  },
  async up(conn) {
    const n = await this.pending(conn);
    await backfillAttendance(conn, (await readSettings(conn)).timezone);
    await backfillStudents(conn);
    return n;
  },
};
