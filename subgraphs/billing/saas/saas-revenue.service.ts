import { trusted } from 'mongoose';
import type { BillingContext } from '../context';
import type { BillingCycle, SaasPlan } from './plan-catalog.service';
import { saasChargeModel, type SaasChargeDoc } from './saas-revenue.model';
import { SaasRevenueGroupBy, type SaasRevenueRow } from './saas-revenue.type';

/** Platform: SaaS subscription revenue across tenants, grouped by plan, cycle and/or month. */
export async function saasRevenue(
  ctx: BillingContext,
  groupBy: SaasRevenueGroupBy[],
  fromMonth?: string | null,
  toMonth?: string | null,
): Promise<SaasRevenueRow[]> {
  const month: Record<string, string> = {};
  if (fromMonth) month.$gte = fromMonth;
  if (toMonth) month.$lte = toMonth;
  // One document per charged change: small enough to group here (FerretDB's $group keeps one accumulator).
  const charges = await saasChargeModel(ctx.db.platform())
    .find(
      fromMonth || toMonth ? { month: trusted(month) } : {}, // built from validated YYYY-MM strings only
      { tenantId: 1, plan: 1, cycle: 1, month: 1, amount: 1 },
    )
    .lean<SaasChargeDoc[]>();
  const by = new Set(groupBy);
  const rows = new Map<string, SaasRevenueRow & { ids: Set<string> }>();
  for (const c of charges) {
    const key = [
      by.has(SaasRevenueGroupBy.PLAN) ? c.plan : '',
      by.has(SaasRevenueGroupBy.CYCLE) ? c.cycle : '',
      by.has(SaasRevenueGroupBy.MONTH) ? c.month : '',
    ].join('|');
    let row = rows.get(key);
    if (!row) {
      row = { amount: 0, count: 0, tenants: 0, ids: new Set() };
      if (by.has(SaasRevenueGroupBy.PLAN)) row.plan = c.plan as SaasPlan;
      if (by.has(SaasRevenueGroupBy.CYCLE)) row.cycle = c.cycle as BillingCycle;
      if (by.has(SaasRevenueGroupBy.MONTH)) row.month = c.month;
      rows.set(key, row);
    }
    row.amount += c.amount;
    row.count += 1;
    row.ids.add(c.tenantId);
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, { ids, ...r }]) => ({ ...r, tenants: ids.size }));
}
