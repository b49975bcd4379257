import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { pageSize } from '../../../core/pagination';
import type { TenantContext } from '../context';
import { AddLeadTaskInput, LeadTasksDueArgs } from './lead-task.input';
import { addLeadTask, completeLeadTask, leadTasksDue } from './lead-task.service';
import { LeadTask } from './lead-task.type';
import { sendTaskReminders } from './lead-reminder.service';

@Resolver(() => LeadTask)
export class LeadTaskResolver {
  @Query(() => [LeadTask], { description: 'Open follow-ups due by `before` (now by default), soonest first.' })
  leadTasksDue(@Args() { before, assigneeId, first }: LeadTasksDueArgs, @Ctx() ctx: TenantContext) {
    return leadTasksDue(ctx, before ?? undefined, assigneeId ?? undefined, pageSize(first));
  }

  @Mutation(() => LeadTask)
  addLeadTask(@Arg('input', () => AddLeadTaskInput) input: AddLeadTaskInput, @Ctx() ctx: TenantContext) {
    return addLeadTask(ctx, input);
  }

  @Mutation(() => LeadTask, { description: 'Completes a task once; a second completion is CONFLICT.' })
  completeLeadTask(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return completeLeadTask(ctx, id);
  }

  @Mutation(() => Int, {
    description: 'Runs the due follow-up reminder sweep now (it also runs on a timer); answers how many reminders this run sent. Each task is reminded once.',
  })
  sendLeadTaskReminders(@Ctx() ctx: TenantContext) {
    return sendTaskReminders(ctx, new Date());
  }
}
