import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/** Distinct representations, and for each original position the index of its distinct copy. */
export interface Deduped {
  representations: unknown[];
  index: number[];
}

/**
 * The query planner sends every representation of a step, duplicates included
 * (100 students of one library = 100 identical `Library` references). Returns
 * null when there is nothing to save, so the request goes out unchanged.
 */
export function dedupeRepresentations(reps: readonly unknown[]): Deduped | null {
  const seen = new Map<string, number>();
  const representations: unknown[] = [];
  const index = reps.map((r) => {
    // The gateway builds each type's representations with one key order, so JSON is a stable key.
    const key = JSON.stringify(r);
    let i = seen.get(key);
    if (i === undefined) {
      i = representations.length;
      seen.set(key, i);
      representations.push(r);
    }
    return i;
  });
  return representations.length < reps.length ? { representations, index } : null;
}

/** Puts each distinct entity (and its errors) back at every position that asked for it. */
export function fanOut(res: GatewayGraphQLResponse, index: readonly number[]): GatewayGraphQLResponse {
  const entities = (res.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const data = Array.isArray(entities) ? { ...res.data, _entities: index.map((i) => entities[i] ?? null) } : res.data;
  if (!res.errors?.length) return { ...res, data };
  const positions = new Map<number, number[]>();
  index.forEach((u, i) => positions.set(u, [...(positions.get(u) ?? []), i]));
  const errors = res.errors.flatMap((e) => {
    const [root, u, ...rest] = e.path ?? [];
    if (root !== '_entities' || typeof u !== 'number') return [e];
    return (positions.get(u) ?? []).map((i) => ({ ...e, path: ['_entities', i, ...rest] }));
  });
  return { ...res, data, errors };
}
