import DataLoader from 'dataloader';
import { trusted, type Model, type SortOrder, type Types } from 'mongoose';
import { tryParseId } from '../ids';
import type { LoaderScope } from './by-id-loader';

export interface GroupLoaderOptions<D, V> {
  /** The collection to read (often on a tenant or the platform database). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document model
  model: () => Model<any> | Promise<Model<any>>;
  /** The field the documents share with their owner, e.g. `leadId`. */
  field: keyof D & string;
  /** The order of each group (the query's sort; groups keep it). */
  sort: Record<string, SortOrder>;
  /** What callers get for a document. */
  view: (doc: D) => V;
  /** Turns a requested key into the stored value, null when malformed (default: an ObjectId from 24 hex digits). */
  parse?: (key: string) => Types.ObjectId | string | null;
}

/**
 * A per-request DataLoader of the documents that belong to each key (a lead's notes, its
 * tasks), memoised on `scope` under `name`: one sorted `find({ field: { $in } })` per batch
 * instead of one query per owner in a list. Malformed and unknown keys load [].
 */
export function groupLoader<D extends object, V>(scope: LoaderScope, name: string, opts: GroupLoaderOptions<D, V>): DataLoader<string, V[]> {
  return scope.memo(
    name,
    () =>
      new DataLoader<string, V[]>(async (keys) => {
        const parsed = keys.map((k) => (opts.parse ?? tryParseId)(k));
        const wanted = [...new Set(parsed.filter((x) => x !== null).map(String))];
        if (wanted.length === 0) return keys.map(() => []);
        const values = parsed.filter((x) => x !== null);
        const docs = await (
          await opts.model()
        )
          .find({ [opts.field]: trusted({ $in: values }) })
          .sort(opts.sort)
          .lean<D[]>();
        const groups = new Map<string, V[]>();
        for (const d of docs) {
          const k = String((d as Record<string, unknown>)[opts.field]);
          const list = groups.get(k) ?? [];
          list.push(opts.view(d));
          groups.set(k, list);
        }
        return parsed.map((p) => (p === null ? [] : (groups.get(String(p)) ?? [])));
      }),
  );
}
