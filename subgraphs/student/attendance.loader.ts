import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { StudentContext } from './context';
import { attendanceModel } from './attendance.model';

/** Whether each student has an open visit: one query per batch on the unique open key. */
export const checkedInLoader = (ctx: StudentContext) =>
  ctx.memo(
    'student.checkedIn',
    () =>
      new DataLoader<string, boolean>(async (studentIds) => {
        const keys = studentIds.map((id) => id.toLowerCase());
        const Attendance = attendanceModel(await ctx.tenantDb());
        const open = await Attendance.find({ openKey: trusted({ $in: keys }) }, { openKey: 1 }).lean<{ openKey: string }[]>();
        const inside = new Set(open.map((d) => d.openKey));
        return keys.map((k) => inside.has(k));
      }),
  );
