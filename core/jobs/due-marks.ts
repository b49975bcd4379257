import { Schema, trusted, type Connection } from 'mongoose';
import { modelOn } from '../tenancy/db';
import { isDuplicateKey } from '../store/duplicate-key';
import { perCollection } from '../store/schema-per-collection';

/** One tenant with background work due at `at` (`_id`: `<tenantId>:<at ms>`, so marks are inserts, never updates). */
export interface DueMarkDoc {
  _id: string;
  tenantId: string;
  at: Date;
}

export interface DueMarksOptions {
  /** The platform database of the subgraph that owns the marks. */
  platform: () => Connection;
  /** Its collection (one per kind of work, owned by one subgraph). */
  collection: string;
}

export interface DueMarks {
  /** Work of `tenantId` is due at `at`: call after writing that work, never before. */
  mark(tenantId: string, at: Date): Promise<void>;
  /** The tenants with a mark due by `now` (earliest first), each with the ids of its marks read. */
  due(now: Date, limit?: number): Promise<Map<string, string[]>>;
  /**
   * After a tenant's pass: drops the marks it read, then asks the tenant's own data when its
   * next work is due and marks that. Dropping first, then reading, loses no mark: work
   * written after the drop is marked by its writer, work written before it is found by `next`.
   */
  settle(tenantId: string, read: string[], next: () => Promise<Date | null>): Promise<void>;
}

/** The marks' schema of one collection, to list in the owning subgraph's platformSchemas (its index is made at start-up). */
export const dueMarksSchema = perCollection((collection: string) => {
  const schema = new Schema<DueMarkDoc>(
    { _id: { type: String, required: true }, tenantId: { type: String, required: true }, at: { type: Date, required: true } },
    { collection, versionKey: false, strictQuery: 'throw' },
  );
  schema.index({ at: 1 });
  return schema;
});

/**
 * useDueMarks: which tenants have background work due, so a periodic job visits those
 * rather than every tenant (issue 19: a worker polling all 10,000 tenants' databases
 * every few seconds was most of the database's load). Marks are unique inserts in one
 * platform collection, so concurrent writers and several workers need no atomic update
 * (FerretDB has none under concurrency). A job keeps a slow full pass as the safety net
 * for work written without a mark (before this existed, or a crash between the write
 * and its mark that no retry repaired).
 */
export function useDueMarks(opts: DueMarksOptions): DueMarks {
  const model = () => modelOn(opts.platform(), `DueMark:${opts.collection}`, dueMarksSchema(opts.collection));
  const mark = async (tenantId: string, at: Date) => {
    try {
      await model().create({ _id: `${tenantId}:${at.getTime()}`, tenantId, at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // marked already for that moment
    }
  };
  return {
    mark,
    async due(now, limit = 1000) {
      const marks = await model()
        .find({ at: trusted({ $lte: now }) })
        .sort({ at: 1 })
        .limit(limit)
        .lean<DueMarkDoc[]>();
      const by = new Map<string, string[]>();
      for (const m of marks) by.set(m.tenantId, [...(by.get(m.tenantId) ?? []), m._id]);
      return by;
    },
    async settle(tenantId, read, next) {
      if (read.length) await model().deleteMany({ _id: trusted({ $in: read }) });
      const at = await next();
      if (at) await mark(tenantId, at);
    },
  };
}
