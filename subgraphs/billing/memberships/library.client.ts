import type { BillingContext } from '../context';
import { notFound } from '../../../core/errors';
import { fetchEntities } from '../../../core/internal';

/** The library must exist in the caller's tenant: asked of the tenant subgraph with the caller's token. */
export async function requireTenantLibrary(ctx: BillingContext, libraryId: string): Promise<void> {
  const [lib] = await fetchEntities<{ id: string }>(ctx, 'tenant', 'Library', [libraryId], 'id');
  if (!lib) throw notFound('Library');
}
