import type { MessagingContext } from './context';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { sendDuesRemindersNow } from './automation-dues.service';
import { UpdateAutomationSettingsInput } from './automation.input';
import { getSettings, updateSettings } from './automation-settings.service';
import { AutomationSettings, DuesReminderReport } from './automation.type';

@Resolver()
export class AutomationResolver {
  @Query(() => AutomationSettings, { description: "The tenant's automated messages (welcome, payment receipt, dues reminder)." })
  automationSettings(@Ctx() ctx: MessagingContext) {
    return getSettings(ctx);
  }

  @Mutation(() => AutomationSettings, { description: 'Changes the automations given; the others keep their settings.' })
  updateAutomationSettings(@Arg('input', () => UpdateAutomationSettingsInput) input: UpdateAutomationSettingsInput, @Ctx() ctx: MessagingContext) {
    return updateSettings(ctx, input);
  }

  @Mutation(() => DuesReminderReport, {
    description:
      "Sends the dues reminders now (those already sent for the current period are skipped). The caller sees counts only: the due list is read with the service's own credential.",
  })
  sendDuesReminders(@Arg('libraryId', () => ID, { nullable: true }) libraryId: string | null, @Ctx() ctx: MessagingContext) {
    return sendDuesRemindersNow(ctx, libraryId);
  }
}
