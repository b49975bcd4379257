import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { fetchEntities } from '../../core/internal';

/** Checks the library exists in the caller's tenant (internal call to the tenant subgraph). */
export async function requireLibrary(ctx: RequestContext, libraryId: string): Promise<{ id: string; capacity: number }> {
  const [lib] = await fetchEntities<{ id: string; capacity: number }>(ctx, 'tenant', 'Library', [libraryId], 'id capacity');
  if (!lib) throw notFound('Library');
  return lib;
}
