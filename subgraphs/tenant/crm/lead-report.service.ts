import { badInput } from '../../../core/errors';
import type { TenantContext } from '../context';
import { FUNNEL_MAX_DAYS } from './lead-report.input';
import { leadModel, LeadSource, LeadStage } from './lead.model';
import { BOARD_STAGES } from './lead.service';

const DAY_MS = 86_400_000;

interface Row {
  _id: { stage: LeadStage; source: LeadSource };
  count: number;
}

const rate = (won: number, total: number) => (total === 0 ? 0 : Math.round((won / total) * 10_000) / 10_000);

function stages(rows: Row[]) {
  const counts = BOARD_STAGES.map((stage) => ({ stage, count: rows.filter((r) => r._id.stage === stage).reduce((n, r) => n + r.count, 0) }));
  const total = counts.reduce((n, c) => n + c.count, 0);
  return { byStage: counts, total, winRate: rate(counts.find((c) => c.stage === LeadStage.WON)!.count, total) };
}

/** The funnel of leads created in [from, to): counts by current stage, overall and per source (one $group). */
export async function leadFunnel(ctx: TenantContext, from: Date, to: Date) {
  if (to.getTime() <= from.getTime()) throw badInput('to', 'must be after from');
  if (to.getTime() - from.getTime() > FUNNEL_MAX_DAYS * DAY_MS) throw badInput('to', `must be at most ${FUNNEL_MAX_DAYS} days after from`);
  const match = { $match: { createdAt: { $gte: from, $lt: to } } };
  const Leads = leadModel(ctx.db.platform());
  const [rows, reachedRows] = await Promise.all([
    Leads.aggregate<Row>([match, { $group: { _id: { stage: '$status', source: '$source' }, count: { $sum: 1 } } }]),
    // Every stage a lead has been in (kept on the lead by each move's winner): one row per lead and stage.
    Leads.aggregate<{ _id: LeadStage; count: number }>([match, { $unwind: '$reached' }, { $group: { _id: '$reached', count: { $sum: 1 } } }]),
  ]);
  const reached = BOARD_STAGES.map((stage) => ({ stage, count: reachedRows.find((r) => r._id === stage)?.count ?? 0 }));
  const bySource = Object.values(LeadSource)
    .map((source) => ({ source, ...stages(rows.filter((r) => r._id.source === source)) }))
    .filter((s) => s.total > 0);
  return { from, to, ...stages(rows), reached, bySource };
}
