import { trusted } from 'mongoose';
import type { StudentContext } from './context';
import { parseId, tryParseId } from '../../core/ids';
import { libraryQuery } from '../../core/scope/library-scope';
import { backfillStudents } from './analytics-backfill.service';
import { studentModel, type StudentDoc } from './student.model';
import { toStudent } from './student.service';
import { StudentStatus } from './student.type';

const DAY_MS = 86_400_000;

/**
 * Active students whose `activeAt` (last check-in, else joining) is at least
 * `days` ago: one range read on { libraryId?, status, activeAt }, idlest first.
 */
export async function churnRisk(ctx: StudentContext, days: number, libraryId: string | undefined, first: number) {
  const query: Record<string, unknown> = {
    status: StudentStatus.ACTIVE,
    ...libraryQuery(ctx, libraryId ? parseId(libraryId, 'libraryId') : null, 'libraryId', tryParseId),
  };
  const now = Date.now();
  query.activeAt = trusted({ $lte: new Date(now - days * DAY_MS) });
  const conn = await ctx.tenantDb();
  await backfillStudents(conn);
  const docs = await studentModel(conn).find(query).sort({ activeAt: 1 }).limit(first).lean<StudentDoc[]>();
  return docs.map((d) => ({
    student: toStudent(d),
    lastCheckInAt: d.lastCheckInAt ?? null,
    daysInactive: Math.floor((now - (d.activeAt ?? d.joinedAt).getTime()) / DAY_MS),
  }));
}
