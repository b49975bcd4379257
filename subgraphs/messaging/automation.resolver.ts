import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { parseId } from '../../core/ids';
import { runDuesReminders } from './automation.dues';
import { UpdateAutomationSettingsInput } from './automation.input';
import { getSettings, loadSettings, updateSettings } from './automation.settings';
import { AutomationSettings, DuesReminderReport } from './automation.type';
import { runtimeDeps, serviceContext } from './service-context';

@Resolver()
export class AutomationResolver {
  @Query(() => AutomationSettings, { description: 'The tenant\'s automated messages (welcome, payment receipt, dues reminder).' })
  automationSettings(@Ctx() ctx: RequestContext) {
    return getSettings(ctx);
  }

  @Mutation(() => AutomationSettings, { description: 'Changes the automations given; the others keep their settings.' })
  updateAutomationSettings(@Arg('input', () => UpdateAutomationSettingsInput) input: UpdateAutomationSettingsInput, @Ctx() ctx: RequestContext) {
    return updateSettings(ctx, input);
  }

  @Mutation(() => DuesReminderReport, {
    description: 'Sends the dues reminders now (those already sent for the current period are skipped). The caller sees counts only: the due list is read with the service\'s own credential.',
  })
  async sendDuesReminders(@Arg('libraryId', () => ID, { nullable: true }) libraryId: string | null, @Ctx() ctx: RequestContext) {
    const library = libraryId != null ? parseId(libraryId, 'libraryId').toHexString() : undefined;
    const tenant = await ctx.tenant();
    const settings = await loadSettings(await ctx.tenantDb(), ctx.services.automation);
    const deps = runtimeDeps(ctx.services.automation);
    return runDuesReminders(() => serviceContext(deps, { id: tenant._id.toHexString(), slug: tenant.slug }), settings.dues, library);
  }
}
