import type { StudentContext } from './context';
import { notFound } from '../../core/errors';
import { ownedReference } from '../../core/federation/owned-reference';
import { callSubgraph, fetchEntities } from '../../core/internal';

/** Calls to the tenant subgraph, owner of libraries (with the caller's token: it applies tenant and branch scope). */

export interface LibraryInfo {
  id: string;
  capacity: number;
  /** The tenant subgraph's LibraryStatus enum name, e.g. ACTIVE, PENDING_APPROVAL. */
  status: string;
  /** HH:MM; closingTime before openingTime = closes after midnight, equal = open 24 h (shift-hours.service.ts). */
  openingTime?: string;
  closingTime?: string;
}

/** The library in the caller's tenant, whatever its status (internal call to the tenant subgraph). */
export async function getLibrary(ctx: StudentContext, libraryId: string): Promise<LibraryInfo> {
  const [lib] = await fetchEntities<LibraryInfo>(ctx, 'tenant', 'Library', [libraryId], 'id capacity status openingTime closingTime');
  if (!lib) throw notFound('Library');
  return lib;
}

/** A Library stub when the tenant subgraph knows the id in the caller's tenant, else null (one batched call per request). */
export const ownedLibrary = (ref: Record<string, unknown>, ctx: StudentContext) => ownedReference(ref, ctx, 'tenant', 'Library');

export interface LibraryName {
  id: string;
  name: string;
  status: string;
}

/** The caller's libraries with name and status (student import matches rows by id or name). */
export async function tenantLibraries(ctx: StudentContext): Promise<LibraryName[]> {
  return (await callSubgraph<{ libraries: LibraryName[] }>(ctx, 'tenant', '{ libraries { id name status } }')).libraries;
}

/** A library's display name for documents (the id when the tenant service can't say). */
export async function libraryName(ctx: StudentContext, libraryId: string): Promise<string> {
  const [lib] = await fetchEntities<{ id: string; name: string }>(ctx, 'tenant', 'Library', [libraryId], 'id name').catch(() => []);
  return lib?.name ?? libraryId;
}
