/**
 * A value computed only if someone awaits it. GraphQL awaits a field's value only
 * when the query selects the field, so an expensive field (a count) returned this
 * way costs nothing when it is not asked for. Computed at most once.
 */
export function whenAsked<T>(compute: () => Promise<T>): Promise<T> {
  let started: Promise<T> | undefined;
  const lazy = {
    then: (ok?: (v: T) => unknown, fail?: (e: unknown) => unknown) => (started ??= compute()).then(ok, fail),
  };
  // A PromiseLike: graphql-js (and `await`) only need `then`.
  return lazy as unknown as Promise<T>;
}
