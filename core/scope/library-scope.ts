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
 * when the field stores ObjectIds.
 */
export function libraryScopeFilter(
  ctx: Pick<RequestContext, 'auth'>,
  field = 'libraryId',
  toId: (id: string) => unknown = (id) => id,
): Record<string, unknown> {
  const scope = libraryScope(ctx);
  return scope ? { [field]: { $in: scope.map(toId) } } : {};
}
