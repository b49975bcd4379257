import type { CreditsContext } from './context';
import { applyMovement, entryByKey, snapshot, tenantBook } from './ledger.service';
import type { DebitCreditsInput } from './wallet.input';
import { DEFAULT_THRESHOLD } from './wallet.service';
import type { CreditDebit } from './wallet.type';

/** Takes credits for one message from the caller's tenant; idempotent per reference. */
export async function debitCredits(ctx: CreditsContext, input: DebitCreditsInput): Promise<CreditDebit> {
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

/** Gives back the credits of an applied debit (once); false if there is none. `reference` is checked by RefundCreditsArgs. */
export async function refundCredits(ctx: CreditsContext, reference: string): Promise<boolean> {
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
