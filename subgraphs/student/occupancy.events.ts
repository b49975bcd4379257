import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { StudentContext } from './context';
import { occupancyTopic, type OccupancyChangeKind } from './events';
import { attendanceModel } from './attendance.model';
import { getLibrary } from './tenant.client';

/** Share of seats at which staff are told a library is nearly full. */
const NEAR_CAPACITY = 0.9;

/**
 * Tells subscribers (through the gateway) that a library's occupancy changed.
 * On a check-in that makes the library reach 90 % exactly, also emits the
 * domain event from which messaging creates a "near capacity" notification,
 * so it fires once per crossing rather than on every check-in above it.
 */
export async function occupancyChanged(ctx: StudentContext, libraryId: Types.ObjectId, kind: OccupancyChangeKind): Promise<void> {
  const tenantId = (await ctx.tenant())._id.toHexString();
  await ctx.publish(occupancyTopic(tenantId), { libraryId: libraryId.toHexString(), kind });
  if (kind !== 'check_in') return;
  try {
    const occupied = await attendanceModel(await ctx.tenantDb()).countDocuments({ libraryId, checkOutAt: null });
    const { capacity } = await getLibrary(ctx, libraryId.toHexString());
    if (occupied === Math.ceil(capacity * NEAR_CAPACITY)) {
      const eventId = randomUUID();
      await ctx.emit('library.nearCapacity', { tenantId, eventId, libraryId: libraryId.toHexString(), occupied, capacity }, eventId);
    }
  } catch (err) {
    ctx.log.warn({ err }, 'near-capacity check failed');
  }
}
