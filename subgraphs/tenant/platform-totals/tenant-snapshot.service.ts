import { forEachActiveTenant } from '../../../core/jobs/periodic';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import type { TenantContext } from '../context';
import { collectedRevenue, studentCounts } from './tenant-stats.client';
import { tenantSnapshotModel, type TenantSnapshotDoc } from './tenant-snapshot.model';

/**
 * Refreshes the snapshot of every active tenant (one after the other; a failing tenant is
 * logged and keeps its last snapshot). A snapshot younger than `freshMs` is skipped, so two
 * instances running the job split the work instead of doubling it; each write is an upsert
 * by tenant id of figures read at that moment, so a double run is harmless. Suspended tenants
 * keep their last snapshot. Returns the number of tenants refreshed.
 */
export async function rollupTenantSnapshots(ctx: TenantContext, freshMs: number, stopped: () => boolean = () => false): Promise<number> {
  const Snapshots = tenantSnapshotModel(ctx.db.platform());
  let refreshed = 0;
  await forEachActiveTenant(ctx, 'platform totals rollup', stopped, async (tenant) => {
    const id = tenant._id.toHexString();
    if (freshMs > 0) {
      const last = await Snapshots.findById(id, { at: 1 }).lean<TenantSnapshotDoc>();
      if (last && Date.now() - last.at.getTime() < freshMs) return;
    }
    const [students, revenueCollected] = await Promise.all([studentCounts(ctx, tenant), collectedRevenue(ctx, tenant)]);
    const set = { $set: { ...students, revenueCollected, at: new Date() } };
    try {
      await Snapshots.updateOne({ _id: id }, set, { upsert: true });
    } catch (err) {
      // Two racing first upserts of one tenant: the other inserted it, this one overwrites.
      if (!isDuplicateKey(err)) throw err;
      await Snapshots.updateOne({ _id: id }, set);
    }
    refreshed += 1;
  });
  return refreshed;
}
