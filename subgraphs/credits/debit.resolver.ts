import { Arg, Args, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { CreditsContext } from './context';
import { debitCredits, refundCredits } from './debit.service';
import { DebitCreditsInput, RefundCreditsArgs } from './wallet.input';
import { CreditDebit } from './wallet.type';

/**
 * Internal API for the messaging subgraph (called with the caller's token through
 * core/internal.ts). @inaccessible: not part of the public supergraph.
 */
@Resolver(() => CreditDebit)
export class DebitResolver {
  @Directive('@inaccessible')
  @Mutation(() => CreditDebit, { description: 'Takes credits for one message; idempotent per reference.' })
  debitCredits(@Arg('input', () => DebitCreditsInput) input: DebitCreditsInput, @Ctx() ctx: CreditsContext) {
    return debitCredits(ctx, input);
  }

  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Gives back the credits of an applied debit (once); false if there is none.' })
  refundCredits(@Args(() => RefundCreditsArgs) { reference }: RefundCreditsArgs, @Ctx() ctx: CreditsContext) {
    return refundCredits(ctx, reference);
  }
}
