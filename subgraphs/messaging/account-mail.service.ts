import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { tenantLabel } from './automation.events';
import { Channel } from './channel';
import type { AccountCodeInput } from './account-mail.input';
import { messageProvider } from './provider';

/**
 * Account email (password reset code) for a tenant user or a platform user. It is
 * the platform's mail, not the tenant's: no credits are taken and no message is
 * stored in the tenant's history (the tenant never sees the code). Sent through
 * the service's email provider (SMTP); nothing personal is logged.
 */
export async function sendAccountCode(ctx: RequestContext, input: AccountCodeInput): Promise<boolean> {
  const sender = ctx.auth?.tid ? await tenantLabel(ctx) : 'StudySpot';
  const body = [
    `Your ${sender} password reset code is ${input.code}.`,
    `It expires in ${input.expiresInMinutes} minutes and works once.`,
    'If you did not ask to reset your password, ignore this email: your password stays as it is.',
  ].join('\n\n');
  const provider = messageProvider(ctx);
  try {
    const sent = await provider.send(Channel.EMAIL, input.to, body, { template: { name: `${sender} password reset code`, values: [] } });
    ctx.log.info({ purpose: input.purpose, provider: provider.name, providerId: sent.providerId }, 'account code sent');
    return true;
  } catch (err) {
    ctx.log.error({ err, purpose: input.purpose }, 'account code not delivered');
    throw new AppError('SERVICE_UNAVAILABLE', 'The email could not be delivered, try again');
  }
}
