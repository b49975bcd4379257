import type { CreditsContext } from './context';
import { callSubgraph } from '../../core/internal';

/** What credits needs of a platform payment order (billing's `platformPaymentOrder`). */
export interface PlatformOrderRef {
  id: string;
  purpose: string;
  packageId: string | null;
  status: string;
  amount: number;
}

const ORDER = 'query($id: ID!) { platformPaymentOrder(id: $id) { id purpose packageId status amount } }';

/** Billing is asked with the caller's own token: only an order of this tenant to the platform resolves. */
export async function platformPaymentOrder(ctx: CreditsContext, id: string): Promise<PlatformOrderRef | null> {
  const data = await callSubgraph<{ platformPaymentOrder: PlatformOrderRef | null }>(ctx, 'billing', ORDER, { id });
  return data.platformPaymentOrder;
}
