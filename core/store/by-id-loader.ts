import DataLoader from 'dataloader';
import { trusted, type Model, type Types } from 'mongoose';
import { oneBatch } from '../db-batch';
import { tryParseId } from '../ids';

/** The part of a request context a loader needs: one loader per request and name. */
export interface LoaderScope {
  memo<T>(key: string, create: () => T): T;
}

export interface ByIdLoaderOptions<D extends { _id: Types.ObjectId }, V> {
  /** The collection to read (often on `ctx.tenantDb()`, hence async). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document model
  model: () => Model<any> | Promise<Model<any>>;
  /** Extra conditions, e.g. the caller's branch scope: a document outside it loads null. */
  filter?: () => Record<string, unknown>;
  /** What callers get for a document (default: the document itself). */
  view?: (doc: D) => V;
}

/**
 * A per-request DataLoader of documents by ObjectId `_id`, memoised on `scope` under
 * `name`: one `find` per batch (none when no id is well-formed), with a first batch
 * that holds the whole result (core/db-batch.ts). Malformed, unknown and filtered-out
 * ids load null; hex ids match in any case.
 */
export function byIdLoader<D extends { _id: Types.ObjectId }, V = D>(
  scope: LoaderScope, name: string, opts: ByIdLoaderOptions<D, V>,
): DataLoader<string, V | null> {
  return scope.memo(name, () =>
    new DataLoader<string, V | null>(async (ids) => {
      const oids = ids.map(tryParseId).filter((x) => x !== null);
      if (oids.length === 0) return ids.map(() => null);
      const model = await opts.model();
      const docs = await model.find({ _id: trusted({ $in: oids }), ...opts.filter?.() }).batchSize(oneBatch(oids.length)).lean<D[]>();
      const view = opts.view ?? ((d: D) => d as unknown as V);
      const byId = new Map(docs.map((d) => [d._id.toHexString(), view(d)]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
  );
}
