import type { TenantContext } from '../context';
import { leadStageClaimsLoader } from './lead.loader';
import { LeadStage } from './lead.model';
import type { LeadView } from './lead.service';

export interface StageMove {
  from: LeadStage;
  to: LeadStage;
  /** Null for moves made before the mover was recorded. */
  by: string | null;
  at: Date;
}

/**
 * A lead's stage history, oldest first. Each move's status claim (`<leadId>:<seq>`,
 * core/tenancy/status-claims.ts) is its history entry: taken before the move is written and
 * rolled forward if its writer dies, so no move goes unrecorded and none is recorded twice.
 * Claims past the lead's statusSeq (a move under way) are not history yet; roll-forward
 * markers (`<leadId>:<seq>:rolled:<n>`) are not moves.
 */
export async function stageHistory(ctx: TenantContext, lead: Pick<LeadView, 'id' | 'statusSeq'>): Promise<StageMove[]> {
  const claims = await leadStageClaimsLoader(ctx).load(lead.id);
  const moves = claims
    .map((c) => ({ seq: Number(c._id.slice(lead.id.length + 1)), claim: c }))
    .filter((m) => Number.isInteger(m.seq) && m.seq <= lead.statusSeq)
    .sort((a, b) => a.seq - b.seq);
  let from = LeadStage.NEW;
  return moves.map(({ claim }) => {
    const to = claim.set.status as LeadStage;
    const move = { from, to, by: (claim.set.stageBy as string | undefined) ?? null, at: (claim.set.stageAt as Date | undefined) ?? claim.createdAt };
    from = to;
    return move;
  });
}
