import { trusted } from 'mongoose';
import { PLAN_NAMES } from '../../../core/tenancy/plans';
import { tenantRegistry, type TenantRecord } from '../../../core/tenancy/registry';
import { addMonths, istDay, istMidnight, istMonth } from '../../../core/tenant-time';
import type { TenantContext } from '../context';
import { TenantStatus } from '../tenant.type';
import { tenantSnapshotModel, type TenantSnapshotDoc } from './tenant-snapshot.model';

type Group<K> = { _id: K; n: number };

/**
 * Platform totals from the platform database only: the registry (one document per tenant)
 * for counts by status, plan and month, and the rollup's snapshots for students and revenue.
 * No tenant database is opened. FerretDB computes one accumulator per $group, so each sum is
 * its own small pipeline.
 */
export async function platformTotals(ctx: TenantContext, months: number) {
  const Registry = tenantRegistry(ctx.db.platform());
  const Snapshots = tenantSnapshotModel(ctx.db.platform());
  const sum = (path: string) => Snapshots.aggregate<Group<null>>([{ $group: { _id: null, n: { $sum: path } } }]).then((r) => r[0]?.n ?? 0);
  const firstMonth = addMonths(`${istMonth(new Date())}-01`, -(months - 1)).slice(0, 7);
  const [statusPlan, recent, students, activeStudents, revenueCollected, snapshotTenants, oldest] = await Promise.all([
    Registry.aggregate<Group<{ status: string; plan: string }>>([{ $group: { _id: { status: '$status', plan: '$plan' }, n: { $sum: 1 } } }]),
    Registry.find({ createdAt: trusted({ $gte: new Date(istMidnight(`${firstMonth}-01`)) }) }, { createdAt: 1 }).lean<Pick<TenantRecord, 'createdAt'>[]>(),
    sum('$students'),
    sum('$activeStudents'),
    sum('$revenueCollected'),
    Snapshots.countDocuments(),
    Snapshots.findOne({}, { at: 1 }).sort({ at: 1 }).lean<TenantSnapshotDoc>(),
  ]);
  const count = (pick: (g: Group<{ status: string; plan: string }>) => boolean) => statusPlan.filter(pick).reduce((n, g) => n + g.n, 0);
  const plans = [...new Set([...PLAN_NAMES, ...statusPlan.map((g) => g._id.plan)])];
  const monthList = Array.from({ length: months }, (_, i) => addMonths(`${firstMonth}-01`, i).slice(0, 7));
  return {
    tenants: count(() => true),
    byStatus: Object.values(TenantStatus).map((status) => ({ status, count: count((g) => g._id.status === status) })),
    byPlan: plans.map((plan) => ({ plan, count: count((g) => g._id.plan === plan) })),
    newTenantsByMonth: monthList.map((month) => ({ month, count: recent.filter((t) => istDay(t.createdAt).startsWith(month)).length })),
    students,
    activeStudents,
    revenueCollected,
    snapshotTenants,
    snapshotsAsOf: oldest?.at ?? null,
  };
}
