import { trusted } from 'mongoose';
import type { RequestContext } from '../context';
import { forbidden } from '../errors';

/**
 * Branch scope: managers and staff may be assigned to some libraries only (token
 * claim `lib`). Every service that reads or writes library-bound data (students,
 * bookings, attendance, payments, fee plans, memberships, dues, occupancy) asks here.
 * Fails closed: a token with an empty `lib` list sees no library.
 */

/** The library ids the caller is limited to, or null when the caller sees every library. */
export function libraryScope(ctx: Pick<RequestContext, 'auth'>): readonly string[] | null {
  return ctx.auth?.lib ?? null;
}

/** True when the caller may see or change data of this library. */
export function inLibraryScope(ctx: Pick<RequestContext, 'auth'>, libraryId: string | { toString(): string } | null | undefined): boolean {
  const scope = libraryScope(ctx);
  if (!scope) return true;
  return libraryId != null && scope.includes(String(libraryId));
}

/** Throws FORBIDDEN when the library is outside the caller's branch scope. */
export function assertLibraryInScope(ctx: Pick<RequestContext, 'auth'>, libraryId: string | { toString(): string } | null | undefined): void {
  if (!inLibraryScope(ctx, libraryId)) throw forbidden('This library is outside your branch scope');
}

/**
 * A MongoDB filter fragment limiting a query to the caller's libraries: `{}` for
 * unscoped callers, `{ [field]: { $in: scope } }` otherwise. `toId` converts ids
 * when the field stores ObjectIds. Marked `trusted`: the connection's sanitizeFilter
 * would otherwise turn the `$in` into an equality on an object (matching nothing).
 */
export function libraryScopeFilter(
  ctx: Pick<RequestContext, 'auth'>,
  field = 'libraryId',
  toId: (id: string) => unknown = (id) => id,
): Record<string, unknown> {
  const scope = libraryScope(ctx);
  return scope ? { [field]: trusted({ $in: scope.map(toId) }) } : {};
}

/**
 * The library part of a list query: the library the caller asked for (FORBIDDEN when
 * outside its scope), or else its scope (`libraryScopeFilter`). `requested` is the
 * value stored in `field` (e.g. a parsed ObjectId).
 */
export function libraryQuery(
  ctx: Pick<RequestContext, 'auth'>,
  requested: { toString(): string } | null | undefined,
  field = 'libraryId',
  toId: (id: string) => unknown = (id) => id,
): Record<string, unknown> {
  if (requested == null) return libraryScopeFilter(ctx, field, toId);
  assertLibraryInScope(ctx, requested);
  return { [field]: requested };
}
