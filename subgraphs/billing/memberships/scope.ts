import { trusted } from 'mongoose';
import type { RequestContext } from '../../../core/context';
import { libraryScopeFilter } from '../../../core/scope/library-scope';

/**
 * libraryScopeFilter as a query filter here: its `$in` is marked trusted, since
 * mongoose's sanitizeFilter (on for every tenant connection) would otherwise
 * turn the operator into a literal value.
 */
export function scopeFilter(ctx: Pick<RequestContext, 'auth'>, field = 'libraryId', toId?: (id: string) => unknown): Record<string, unknown> {
  const f = libraryScopeFilter(ctx, field, toId);
  return field in f ? { [field]: trusted(f[field] as object) } : {};
}
