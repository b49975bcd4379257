import { AppError } from '../../../core/errors';
import { callSubgraph } from '../../../core/internal';
import type { TenantRecord } from '../../../core/tenancy/registry';
import type { TenantContext } from '../context';
import { asService } from '../peers.client';

/** The student subgraph's own public queries, asked as this service for one tenant. */
const STUDENTS = `query { all: students(first: 1) { totalCount } active: students(first: 1, filter: { status: ACTIVE }) { totalCount } }`;
/** The billing subgraph's paid revenue (all months, all libraries). */
const REVENUE = `query { revenueSummary { total } }`;

type Tenant = Pick<TenantRecord, '_id' | 'slug'>;

export async function studentCounts(ctx: TenantContext, tenant: Tenant): Promise<{ students: number; activeStudents: number }> {
  const data = await callSubgraph<{ all: { totalCount: number }; active: { totalCount: number } }>(asService(ctx, tenant), 'student', STUDENTS);
  return { students: data.all.totalCount, activeStudents: data.active.totalCount };
}

/** Paise; 0 when the tenant's payments module is off (it has collected nothing through it). */
export async function collectedRevenue(ctx: TenantContext, tenant: Tenant): Promise<number> {
  try {
    const data = await callSubgraph<{ revenueSummary: { total: number }[] }>(asService(ctx, tenant), 'billing', REVENUE);
    return data.revenueSummary.reduce((sum, row) => sum + row.total, 0);
  } catch (err) {
    if (err instanceof AppError && err.extensions.code === 'MODULE_DISABLED') return 0;
    throw err;
  }
}
