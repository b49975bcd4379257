import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { DebitCreditsInput, KEY_MESSAGE, KEY_PATTERN } from './wallet.input';
import { DEFAULT_THRESHOLD } from './wallet.model';
import { applyMovement, entryByKey, snapshot, tenantBook } from './ledger.service';
import { CreditDebit } from './wallet.type';

/**
 * Internal API for the messaging subgraph (called with the caller's token through
 * core/internal.ts). @inaccessible: not part of the public supergraph.
 */
@Resolver(() => CreditDebit)
export class DebitResolver {
  @Directive('@inaccessible')
  @Mutation(() => CreditDebit, { description: 'Takes credits for one message; idempotent per reference.' })
  async debitCredits(@Arg('input', () => DebitCreditsInput) input: DebitCreditsInput, @Ctx() ctx: RequestContext) {
    const book = tenantBook(await ctx.tenantDb());
    const threshold = (await snapshot(book)).thresholds?.[input.channel] ?? DEFAULT_THRESHOLD;
    const delta = -input.amount;
    const out = await applyMovement(book, {
      key: `debit:${input.reference}`,
      keyField: 'reference',
      channel: input.channel,
      delta,
      reason: 'message',
      reference: input.reference,
      createdBy: ctx.auth?.sub,
      // Fixed on the link itself: the chain is linear, so exactly one debit goes from >= to < the
      // threshold per crossing, and a retry returns the recorded answer.
      derive: (head) => ({ lowCrossed: head.balance >= threshold && head.balance + delta < threshold }),
    });
    return { channel: out.channel, balanceAfter: out.balanceAfter, entryId: out.entryId, lowBalanceCrossed: out.entry.lowCrossed ?? false };
  }

  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Gives back the credits of an applied debit (once); false if there is none.' })
  async refundCredits(@Arg('reference', () => String) reference: string, @Ctx() ctx: RequestContext) {
    if (reference.length < 8 || reference.length > 100) throw badInput('reference', 'must be 8 to 100 characters');
    if (!KEY_PATTERN.test(reference)) throw badInput('reference', KEY_MESSAGE);
    const book = tenantBook(await ctx.tenantDb());
    const debit = await entryByKey(book, `debit:${reference}`);
    if (!debit || debit.status !== 'applied') return false;
    await applyMovement(book, {
      key: `refund:${reference}`,
      keyField: 'reference',
      channel: debit.channel,
      delta: -debit.delta,
      reason: 'refund',
      reference,
      createdBy: ctx.auth?.sub,
    });
    return true;
  }
}
