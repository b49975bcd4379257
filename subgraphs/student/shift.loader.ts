import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { oneBatch } from '../../core/db-batch';
import { tryParseId } from '../../core/ids';
import { shiftModel, toShift, type Shift, type ShiftDoc } from './shift.model';

/** Per-request batch of shift lookups in the caller's tenant database (bookings' shifts, `_entities`). */
export const shiftLoader = (ctx: RequestContext) =>
  ctx.memo('student.shiftById', () =>
    new DataLoader<string, Shift | null>(async (ids) => {
      const oids = ids.map(tryParseId).filter((x) => x !== null);
      if (oids.length === 0) return ids.map(() => null);
      const Shifts = shiftModel(await ctx.tenantDb());
      const docs = await Shifts.find({ _id: trusted({ $in: oids }) }).batchSize(oneBatch(oids.length)).lean<ShiftDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), toShift(d)]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
  );
