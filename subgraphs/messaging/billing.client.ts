import type { MessagingContext } from './context';
import { fetchEntities } from '../../core/internal';

export interface ReceiptPayment {
  amount: number;
  invoice?: { number: string } | null;
}

/** A payment's amount and invoice number from billing (`_entities`), for a receipt; null when billing has none. */
export async function receiptPayment(ctx: MessagingContext, paymentId: string): Promise<ReceiptPayment | null> {
  const [payment] = await fetchEntities<ReceiptPayment>(ctx, 'billing', 'Payment', [paymentId], 'amount invoice { number }');
  return payment ?? null;
}
