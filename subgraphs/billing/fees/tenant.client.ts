import { callSubgraph, fetchEntities } from '../../../core/internal';
import type { BillingContext } from '../context';

/** Calls to the tenant subgraph, with the caller's token (same tenant only). */

/** Library names by id, in the order asked ('' for one tenant does not know). */
export async function libraryNames(ctx: BillingContext, ids: string[]): Promise<Map<string, string>> {
  const libraries = ids.length ? await fetchEntities<{ id: string; name: string }>(ctx, 'tenant', 'Library', ids, 'id name') : [];
  return new Map(ids.map((id, i) => [id, libraries[i]?.name ?? '']));
}

/** How many libraries and staff users the tenant has (SaaS plan limits). */
export async function tenantCounts(ctx: BillingContext): Promise<{ libraries: number; staff: number }> {
  const data = await callSubgraph<{ libraries: { id: string }[]; users: { id: string }[] }>(ctx, 'tenant', '{ libraries { id } users { id } }');
  return { libraries: data.libraries.length, staff: data.users.length };
}
