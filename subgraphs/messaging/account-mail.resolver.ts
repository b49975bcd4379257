import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { AccountCodeInput } from './account-mail.input';
import { sendAccountCode } from './account-mail.service';

/**
 * Internal API for the tenant subgraph (subgraphs/tenant/messaging.client.ts, with
 * a short-lived service token). @inaccessible: not part of the public supergraph.
 */
@Resolver()
export class AccountMailResolver {
  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Emails a one-time account code (password reset); free for the tenant.' })
  sendAccountCode(@Arg('input', () => AccountCodeInput) input: AccountCodeInput, @Ctx() ctx: RequestContext) {
    return sendAccountCode(ctx, input);
  }
}
