import type { RequestContext } from '../../../core/context';
import { notFound } from '../../../core/errors';
import { fetchEntities } from '../../../core/internal';

/** The library must exist in the caller's tenant: asked of the tenant subgraph with the caller's token. */
export async function requireTenantLibrary(ctx: RequestContext, libraryId: string): Promise<void> {
  const [lib] = await fetchEntities<{ id: string }>(ctx, 'tenant', 'Library', [libraryId], 'id');
  if (!lib) throw notFound('Library');
}
