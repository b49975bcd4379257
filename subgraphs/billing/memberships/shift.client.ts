import type { BillingContext } from '../context';
import { badInput } from '../../../core/errors';
import { fetchEntities } from '../../../core/internal';

/**
 * A plan's shift must exist, be active and belong to the plan's library: asked
 * of the student subgraph (which owns Shift) through `_entities`, with the caller's token.
 */
export async function requireShift(ctx: BillingContext, shiftId: string, libraryId: string, field = 'input.shiftId'): Promise<void> {
  const [shift] = await fetchEntities<{ id: string; libraryId: string; active: boolean }>(ctx, 'student', 'Shift', [shiftId], 'id libraryId active');
  if (!shift || shift.libraryId !== libraryId) throw badInput(field, 'no such shift at this library');
  if (!shift.active) throw badInput(field, 'the shift is not active');
}
