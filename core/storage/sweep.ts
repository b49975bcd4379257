import { trusted } from 'mongoose';
import type { ContextDeps } from '../context';
import { forEachActiveTenant, usePeriodicJob } from '../jobs/periodic';
import { fileModel, type FileDoc } from './file.model';
import { removeFile, UPLOAD_URL_TTL_S } from './files';
import type { ObjectStore } from './object-store';

/** An upload must be confirmed within this long of its request; later its object and record are swept. */
export const CONFIRM_WINDOW_MS = UPLOAD_URL_TTL_S * 1000 + 60 * 60_000;

/**
 * Deletes a domain's PENDING files older than the confirm window in every active tenant:
 * the object (if it was ever uploaded) and the record. Safe on several instances at once:
 * deleting an object or record twice is a no-op.
 */
export function useFileSweep(deps: Pick<ContextDeps, 'db' | 'log'>, store: ObjectStore, collection: string, intervalMs: number): () => Promise<void> {
  if (intervalMs <= 0) return async () => undefined;
  return usePeriodicJob({
    name: `files.sweep.${collection}`,
    intervalMs,
    log: deps.log,
    run: (stopped) =>
      forEachActiveTenant(deps, `files.sweep.${collection}`, stopped, async (_tenant, conn) => {
        await sweepPending({ conn, collection, store }, new Date(Date.now() - CONFIRM_WINDOW_MS));
      }),
  });
}

/** One tenant's stale pending files; returns how many were deleted. */
export async function sweepPending(scope: Parameters<typeof removeFile>[0], before: Date): Promise<number> {
  const stale = await fileModel(scope.conn, scope.collection)
    .find({ status: 'pending', createdAt: trusted({ $lt: before }) })
    .limit(500)
    .lean<FileDoc[]>();
  for (const doc of stale) await removeFile(scope, doc);
  return stale.length;
}
