import type { MessagingContext } from './context';
import { AppError } from '../../core/errors';
import { tenantLabel } from './automation.events';
import { Channel } from './channel.type';
import type { PlatformMailInput } from './platform-mail.input';
import { crmTaskReminderMail, passwordResetMail, saasDunningMail, type MailContent } from './platform-mail-content.service';
import { messageProvider } from './message.provider';

/**
 * The platform's own e-mail to an account holder (password reset code, SaaS
 * dunning, a sales desk reminder to platform staff): not the tenant's messaging, so no credits are taken and no message is
 * stored in the tenant's history. Sent through the service's email provider
 * (SMTP); nothing personal is logged.
 */
export async function sendPlatformMail(ctx: MessagingContext, input: PlatformMailInput): Promise<boolean> {
  const kind = input.passwordReset ? 'password_reset' : input.saasDunning ? 'saas_dunning' : 'crm_task_reminder';
  let mail: MailContent;
  if (input.passwordReset) {
    // A tenant user's code comes under the tenant's name; a platform user's under StudySpot.
    mail = passwordResetMail(ctx.auth?.tid ? await tenantLabel(ctx) : 'StudySpot', input.passwordReset);
  } else if (input.saasDunning) {
    mail = saasDunningMail(input.saasDunning);
  } else {
    mail = crmTaskReminderMail(input.crmTaskReminder!);
  }
  const provider = messageProvider(ctx);
  try {
    const sent = await provider.send(Channel.EMAIL, input.to, mail.body, { template: { name: mail.subject, values: [] } });
    ctx.log.info({ kind, provider: provider.name, providerId: sent.providerId }, 'platform mail sent');
    return true;
  } catch (err) {
    ctx.log.error({ err, kind }, 'platform mail not delivered');
    throw new AppError('SERVICE_UNAVAILABLE', 'The email could not be delivered, try again');
  }
}
