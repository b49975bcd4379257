import type { StudentContext } from './context';
import { byIdLoader } from '../../core/store/by-id-loader';
import { shiftModel, type ShiftDoc } from './shift.model';
import { toShift, type Shift } from './shift.service';

/** Per-request batch of shift lookups in the caller's tenant database (bookings' shifts, `_entities`). */
export const shiftLoader = (ctx: StudentContext) =>
  byIdLoader<ShiftDoc, Shift>(ctx, 'student.shiftById', {
    model: async () => shiftModel(await ctx.tenantDb()),
    view: toShift,
  });
