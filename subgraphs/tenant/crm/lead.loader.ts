import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import { groupLoader } from '../../../core/store/group-loader';
import type { StatusClaimDoc } from '../../../core/tenancy/status-claims';
import type { TenantContext } from '../context';
import { leadTaskModel, type LeadTaskDoc } from './lead-task.model';
import { toLeadTask } from './lead-task.service';
import { leadNoteModel, leadStageClaimModel, type LeadNoteDoc } from './lead.model';

/** Each lead's notes, oldest first: one query for a page of leads. */
export const leadNotesLoader = (ctx: TenantContext) =>
  groupLoader<LeadNoteDoc, { at: Date; by: string; text: string }>(ctx, 'crm.notesByLead', {
    model: () => leadNoteModel(ctx.db.platform()),
    field: 'leadId',
    sort: { _id: 1 },
    view: (n) => ({ at: n.at, by: n.by, text: n.text }),
  });

/** Each lead's follow-up tasks by due date: one query for a page of leads. */
export const leadTasksLoader = (ctx: TenantContext) =>
  groupLoader<LeadTaskDoc, ReturnType<typeof toLeadTask>>(ctx, 'crm.tasksByLead', {
    model: () => leadTaskModel(ctx.db.platform()),
    field: 'leadId',
    sort: { dueAt: 1, _id: 1 },
    view: toLeadTask,
  });

/** Each lead's stage claims (`<leadId>:…`, its stage history): one query for a page of leads. */
export const leadStageClaimsLoader = (ctx: TenantContext) =>
  ctx.memo(
    'crm.stageClaimsByLead',
    () =>
      new DataLoader<string, StatusClaimDoc[]>(async (ids) => {
        const wanted = [...new Set(ids)];
        const claims = await leadStageClaimModel(ctx.db.platform())
          .find({ $or: wanted.map((id) => ({ _id: trusted({ $gte: `${id}:`, $lt: `${id};` }) })) })
          .lean<StatusClaimDoc[]>();
        const byLead = new Map<string, StatusClaimDoc[]>();
        for (const c of claims) {
          const lead = c._id.slice(0, c._id.indexOf(':'));
          byLead.set(lead, [...(byLead.get(lead) ?? []), c]);
        }
        return ids.map((id) => byLead.get(id) ?? []);
      }),
  );
