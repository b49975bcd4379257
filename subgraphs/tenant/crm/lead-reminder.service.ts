import { trusted } from 'mongoose';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import type { TenantContext } from '../context';
import { sendPlatformMail } from '../messaging.client';
import { platformUserModel, type UserDoc } from '../user.model';
import { leadTaskModel, leadTaskReminderModel, LeadTaskStatus, type LeadTaskDoc, type LeadTaskReminderDoc } from './lead-task.model';
import { leadModel, type LeadDoc } from './lead.model';

/** Tasks one sweep looks at; the next sweep takes the rest (soonest due first). */
export const REMINDER_BATCH = 100;
/** A claim this old without a sent mail: its sender died mid-send; the task leaves the queue unreminded. */
const ABANDONED_MS = 10 * 60_000;

/**
 * One reminder e-mail to the assignee of each open task due by `now`, exactly once per task
 * however many sweeps run (instances, run-now): a unique claim keyed by the task id is taken
 * before sending and given back if the send fails, so a later sweep retries. A sender that
 * dies between its claim and the mail leaves the reminder unsent (at most once, never twice).
 * Returns the number of reminders sent by this sweep.
 */
export async function sendTaskReminders(ctx: TenantContext, now: Date, stopped: () => boolean = () => false): Promise<number> {
  const conn = ctx.db.platform();
  const Tasks = leadTaskModel(conn);
  const due = await Tasks.find({ status: LeadTaskStatus.OPEN, remindedAt: null, dueAt: trusted({ $lte: now }) })
    .sort({ dueAt: 1, _id: 1 })
    .limit(REMINDER_BATCH)
    .lean<LeadTaskDoc[]>();
  let sent = 0;
  for (const task of due) {
    if (stopped()) break;
    if (await remindOnce(ctx, task)) sent += 1;
  }
  return sent;
}

async function remindOnce(ctx: TenantContext, task: LeadTaskDoc): Promise<boolean> {
  const conn = ctx.db.platform();
  const Reminders = leadTaskReminderModel(conn);
  const Tasks = leadTaskModel(conn);
  const id = task._id.toHexString();
  try {
    await Reminders.create({ _id: id, assigneeId: task.assigneeId, claimedAt: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Another sweep has it; one that died long ago leaves the task to drop out of the queue.
    const claim = await Reminders.findById(id).lean<LeadTaskReminderDoc>();
    if (claim && Date.now() - claim.claimedAt.getTime() > ABANDONED_MS) await Tasks.updateOne({ _id: task._id }, { $set: { remindedAt: claim.claimedAt } });
    return false;
  }
  const user = await platformUserModel(conn).findById(task.assigneeId, { email: 1, name: 1, status: 1 }).lean<UserDoc>();
  if (!user || user.status !== 'active') {
    await Reminders.updateOne({ _id: id }, { $set: { skipped: 'assignee not active' } });
    await Tasks.updateOne({ _id: task._id }, { $set: { remindedAt: new Date() } });
    return false;
  }
  const lead = await leadModel(conn).findById(task.leadId, { businessName: 1 }).lean<LeadDoc>();
  try {
    await sendPlatformMail(ctx, null, {
      to: user.email,
      crmTaskReminder: { assigneeName: user.name, taskTitle: task.title, leadName: lead?.businessName ?? 'a removed lead', dueAt: task.dueAt.toISOString() },
    });
  } catch (err) {
    await Reminders.deleteOne({ _id: id }); // given back: the next sweep retries
    ctx.log.warn({ err, task: id }, 'lead task reminder not sent; retried by the next sweep');
    return false;
  }
  const at = new Date();
  await Reminders.updateOne({ _id: id }, { $set: { sentAt: at } });
  await Tasks.updateOne({ _id: task._id }, { $set: { remindedAt: at } });
  return true;
}
