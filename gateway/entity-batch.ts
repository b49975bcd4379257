import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { dedupeRepresentations, fanOut } from './dedupe';

type Send = (representations: unknown[]) => Promise<GatewayGraphQLResponse>;
interface Pending {
  reps: readonly unknown[];
  resolve(r: GatewayGraphQLResponse): void;
  reject(e: unknown): void;
}

/**
 * One client request's `_entities` fetches: the planner issues one fetch per
 * path (10 aliased lists = 10 identical fetches to billing), in parallel. Fetches
 * with the same document and variables queued in the same turn of the event loop
 * go out as ONE request carrying each distinct representation once; every caller
 * gets its own slice back, errors included. Scope: one client request (one context).
 */
export class EntityBatcher {
  private readonly queues = new Map<string, Pending[]>();

  add(key: string, reps: readonly unknown[], send: Send): Promise<GatewayGraphQLResponse> {
    return new Promise((resolve, reject) => {
      let q = this.queues.get(key);
      if (!q) {
        this.queues.set(key, (q = []));
        // After the current macrotask: the planner's parallel fetches have all been queued by then.
        setImmediate(() => void this.flush(key, send));
      }
      q.push({ reps, resolve, reject });
    });
  }

  private async flush(key: string, send: Send): Promise<void> {
    const q = this.queues.get(key)!;
    this.queues.delete(key);
    const all = q.flatMap((p) => p.reps);
    const d = dedupeRepresentations(all);
    try {
      const res = d ? fanOut(await send(d.representations), d.index) : await send(all);
      let offset = 0;
      for (const p of q) {
        p.resolve(q.length === 1 ? res : slice(res, offset, p.reps.length));
        offset += p.reps.length;
      }
    } catch (err) {
      q.forEach((p) => p.reject(err));
    }
  }
}

/** The part of a merged response that answers representations [offset, offset + length). */
export function slice(res: GatewayGraphQLResponse, offset: number, length: number): GatewayGraphQLResponse {
  const entities = (res.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const data = Array.isArray(entities) ? { ...res.data, _entities: entities.slice(offset, offset + length) } : res.data;
  if (!res.errors?.length) return { ...res, data };
  const errors = res.errors.flatMap((e) => {
    const [root, i, ...rest] = e.path ?? [];
    // Errors without an entity position (e.g. UNAUTHENTICATED) concern every caller.
    if (root !== '_entities' || typeof i !== 'number') return [e];
    return i >= offset && i < offset + length ? [{ ...e, path: ['_entities', i - offset, ...rest] }] : [];
  });
  return { ...res, data, errors };
}
