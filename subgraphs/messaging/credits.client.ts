import type { MessagingContext } from './context';
import { callSubgraph } from '../../core/internal';
import { channelName, type Channel } from './channel.type';

/** Internal API of the credits subgraph, called with the caller's own token. */
const DEBIT = 'mutation($i: DebitCreditsInput!) { debitCredits(input: $i) { balanceAfter entryId lowBalanceCrossed } }';
const REFUND = 'mutation($r: String!) { refundCredits(reference: $r) }';

export interface Debit {
  balanceAfter: number;
  entryId: string;
  /** Set by credits from the tenant's own threshold: true for exactly one debit per crossing. */
  lowBalanceCrossed: boolean;
}

/** Takes `amount` credits of `channel`; `reference` makes a retry idempotent. Throws INSUFFICIENT_BALANCE. */
export async function debitCredits(ctx: MessagingContext, channel: Channel, amount: number, reference: string): Promise<Debit> {
  const data = await callSubgraph<{ debitCredits: Debit }>(ctx, 'credits', DEBIT, {
    i: { channel: channelName(channel), amount, reference },
  });
  return data.debitCredits;
}

/** Gives back the debit made with `reference` (idempotent). */
export async function refundCredits(ctx: MessagingContext, reference: string): Promise<void> {
  await callSubgraph(ctx, 'credits', REFUND, { r: reference });
}
