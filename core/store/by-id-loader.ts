import DataLoader from 'dataloader';
import { trusted, type Model, type Types } from 'mongoose';
import { oneBatch } from '../db-batch';
import { tryParseId } from '../ids';

/** The part of a request context a loader needs: one loader per request and name. */
export interface LoaderScope {
  memo<T>(key: string, create: () => T): T;
}

export interface ByIdLoaderOptions<D extends { _id: Types.ObjectId | string }, V> {
  /** The collection to read (often on `ctx.tenantDb()`, hence async). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document model
  model: () => Model<any> | Promise<Model<any>>;
  /** Extra conditions, e.g. the caller's branch scope: a document outside it loads null. */
  filter?: () => Record<string, unknown>;
  /** What callers get for a document (default: the document itself). */
  view?: (doc: D) => V;
  /** Turns a requested id into the stored `_id`, null when malformed (default: an ObjectId from 24 hex digits). */
  parse?: (id: string) => Types.ObjectId | string | null;
}

/**
 * A per-request DataLoader of documents by `_id`, memoised on `scope` under `name`:
 * one `find` per batch (none when no id is well-formed), with a first batch that
 * holds the whole result (core/db-batch.ts). Malformed, unknown and filtered-out ids
 * load null; ObjectId hex ids match in any case.
 */
export function byIdLoader<D extends { _id: Types.ObjectId | string }, V = D>(
  scope: LoaderScope,
  name: string,
  opts: ByIdLoaderOptions<D, V>,
): DataLoader<string, V | null> {
  return scope.memo(
    name,
    () =>
      new DataLoader<string, V | null>(async (ids) => {
        const parsed = ids.map((id) => (opts.parse ?? tryParseId)(id));
        const wanted = parsed.filter((x) => x !== null);
        if (wanted.length === 0) return ids.map(() => null);
        const model = await opts.model();
        const docs = await model
          .find({ _id: trusted({ $in: wanted }), ...opts.filter?.() })
          .batchSize(oneBatch(wanted.length))
          .lean<D[]>();
        const view = opts.view ?? ((d: D) => d as unknown as V);
        // String(ObjectId) is its lower-case hex: requested and stored ids meet in one form.
        const byId = new Map(docs.map((d) => [String(d._id), view(d)]));
        return parsed.map((p) => (p === null ? null : (byId.get(String(p)) ?? null)));
      }),
  );
}
