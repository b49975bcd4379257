import { trusted } from 'mongoose';
import type { RequestContext } from '../context';
import { parseId } from '../ids';
import { assertLibraryInScope, libraryScope } from '../scope/library-scope';

/**
 * The libraries a document may cover, decided at issuance and signed into the link (the
 * renderer has no caller to ask): the one asked for (FORBIDDEN outside the caller's branch
 * scope, BAD_USER_INPUT when not an id), else the caller's scope, else null = every library.
 */
export function documentLibraries(ctx: Pick<RequestContext, 'auth'>, libraryId?: string | null, field = 'libraryId'): string[] | null {
  if (libraryId != null) {
    const id = parseId(libraryId, field).toHexString();
    assertLibraryInScope(ctx, id);
    return [id];
  }
  const scope = libraryScope(ctx);
  return scope ? [...scope] : null;
}

/** The renderer's filter fragment for `documentLibraries`' answer (signed params): `{}` for every library. */
export function libraryFilter(libraryIds: unknown, field = 'libraryId', toId: (id: string) => unknown = (id) => id): Record<string, unknown> {
  if (!Array.isArray(libraryIds)) return {};
  return { [field]: trusted({ $in: libraryIds.filter((id): id is string => typeof id === 'string').map(toId) }) };
}
