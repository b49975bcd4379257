import { trusted } from 'mongoose';
import { conflict } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { changeStatus } from '../../../core/tenancy/status-claims';
import type { TenantContext } from '../context';
import { leadTasksLoader } from './lead.loader';
import type { AddLeadTaskInput } from './lead-task.input';
import { leadTaskClaimModel, leadTaskModel, LeadTaskStatus, type LeadTaskDoc } from './lead-task.model';
import { assertPlatformUser, caller, leadDoc } from './lead.service';

export const toLeadTask = (d: LeadTaskDoc) => ({
  id: d._id.toHexString(),
  leadId: d.leadId.toHexString(),
  title: d.title,
  dueAt: d.dueAt,
  assigneeId: d.assigneeId,
  createdBy: d.createdBy,
  status: d.status,
  doneAt: d.doneAt ?? null,
  doneBy: d.doneBy ?? null,
  remindedAt: d.remindedAt ?? null,
  createdAt: d.createdAt,
});

/** A follow-up for a platform user (the lead's owner unless another is named). */
export async function addLeadTask(ctx: TenantContext, input: AddLeadTaskInput) {
  const by = caller(ctx);
  const lead = await leadDoc(ctx, input.leadId, 'input.leadId');
  const assigneeId = input.assigneeId ? await assertPlatformUser(ctx, input.assigneeId, 'input.assigneeId') : lead.ownerId;
  const Tasks = leadTaskModel(ctx.db.platform());
  const saved = await new Tasks({
    leadId: lead._id,
    title: input.title.trim(),
    dueAt: input.dueAt,
    assigneeId,
    createdBy: by,
    status: LeadTaskStatus.OPEN,
    statusSeq: 0,
  }).save();
  leadTasksLoader(ctx).clear(lead._id.toHexString());
  return toLeadTask(saved.toObject<LeadTaskDoc>());
}

/** Completes a task once: a second (or racing) completion is CONFLICT (status claims, no transactions). */
export async function completeLeadTask(ctx: TenantContext, id: string) {
  const by = caller(ctx);
  const conn = ctx.db.platform();
  const done = await changeStatus<LeadTaskDoc>(leadTaskModel(conn), leadTaskClaimModel(conn), parseId(id, 'id'), {
    from: [LeadTaskStatus.OPEN],
    set: { status: LeadTaskStatus.DONE, doneAt: new Date(), doneBy: by },
    refuse: () => conflict('The task is already done', 'id'),
    entity: 'Lead task',
  });
  leadTasksLoader(ctx).clear(done.leadId.toHexString());
  return toLeadTask(done);
}

/** Open tasks due by `before` (now by default), soonest first. */
export async function leadTasksDue(ctx: TenantContext, before: Date | undefined, assigneeId: string | undefined, first: number) {
  const query: Record<string, unknown> = { status: LeadTaskStatus.OPEN, dueAt: trusted({ $lte: before ?? new Date() }) };
  if (assigneeId) query.assigneeId = assigneeId;
  const docs = await leadTaskModel(ctx.db.platform()).find(query).sort({ dueAt: 1, _id: 1 }).limit(first).lean<LeadTaskDoc[]>();
  return docs.map(toLeadTask);
}

/** The lead's tasks by due date (batched over a page of leads). */
export function tasksOfLead(ctx: TenantContext, leadId: string) {
  return leadTasksLoader(ctx).load(leadId);
}
