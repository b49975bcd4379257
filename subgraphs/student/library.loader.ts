import DataLoader from 'dataloader';
import type { StudentContext } from './context';
import { tryParseId } from '../../core/ids';
import { attendanceModel } from './attendance.model';

/** Open attendance records per library: one aggregate for all libraries of a request. */
export const occupiedLoader = (ctx: StudentContext) =>
  ctx.memo(
    'student.occupiedByLibrary',
    () =>
      new DataLoader<string, number>(async (ids) => {
        const oids = ids.map(tryParseId).filter((x) => x !== null);
        if (oids.length === 0) return ids.map(() => 0);
        const Attendance = attendanceModel(await ctx.tenantDb());
        // Pipelines are not sanitized; every value here is a parsed ObjectId or a literal.
        const rows = await Attendance.aggregate<{ _id: { toHexString(): string }; n: number }>([
          { $match: { libraryId: { $in: oids }, checkOutAt: null } },
          { $group: { _id: '$libraryId', n: { $sum: 1 } } },
        ]);
        const byId = new Map(rows.map((r) => [r._id.toHexString(), r.n]));
        return ids.map((id) => byId.get(id.toLowerCase()) ?? 0);
      }),
  );
