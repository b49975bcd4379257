import type { MessagingContext } from './context';
import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { PlatformMailInput } from './platform-mail.input';
import { sendPlatformMail } from './platform-mail.service';

/**
 * Internal API for the tenant subgraph (subgraphs/tenant/messaging.client.ts, with
 * a short-lived service token). @inaccessible: not part of the public supergraph.
 */
@Resolver()
export class PlatformMailResolver {
  @Directive('@inaccessible')
  @Mutation(() => Boolean, {
    description: 'Emails a platform message to an account holder (password reset code, SaaS dunning, a sales desk reminder); free for the tenant.',
  })
  sendPlatformMail(@Arg('input', () => PlatformMailInput) input: PlatformMailInput, @Ctx() ctx: MessagingContext) {
    return sendPlatformMail(ctx, input);
  }
}
