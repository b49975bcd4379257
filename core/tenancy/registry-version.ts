import type { Connection, MongooseDefaultQueryMiddleware, Schema } from 'mongoose';
import { isDuplicateKey } from '../store/duplicate-key';

/**
 * One counter in the platform database, bumped by every write to the tenant registry
 * (hooked on the registry schema, so no writer can forget it). Each subgraph reads it
 * once per poll and drops its tenant cache when it moved: a registry change reaches
 * reads in every process within a poll, with or without a shared bus, and cached
 * entries can live long enough to matter at thousands of tenants.
 */
const ID = 'tenants';

const versions = (platform: Connection) => platform.collection<{ _id: string; v: number }>('registry_versions');

export async function bumpRegistryVersion(platform: Connection): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await versions(platform).updateOne({ _id: ID }, { $inc: { v: 1 } }, { upsert: true });
      return;
    } catch (err) {
      // Two first-ever bumps race on the upsert: the loser's $inc applies to the winner's document.
      if (!isDuplicateKey(err) || attempt > 2) throw err;
    }
  }
}

export async function readRegistryVersion(platform: Connection): Promise<number> {
  return (await versions(platform).findOne({ _id: ID }))?.v ?? 0;
}

const WRITES: MongooseDefaultQueryMiddleware[] = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
];

/** Bumps the version after every registry write; a failed bump leaves the write alone (TENANT_CACHE_MS bounds it). */
export function bumpOnWrite(schema: Schema): void {
  const bump = (conn: Connection) => bumpRegistryVersion(conn).catch(() => undefined);
  schema.post(WRITES, { document: false, query: true }, async function (this: { model: { db: Connection } }) {
    await bump(this.model.db);
  });
  schema.post('save', async function (this: { constructor: { db: Connection } }) {
    await bump(this.constructor.db);
  });
  schema.post('bulkWrite', async function (this: { db: Connection }) {
    await bump(this.db);
  });
}

/** Calls `onChange` whenever the version moves, checking every `everyMs`; returns the stop function. */
export function watchRegistryVersion(platform: Connection, everyMs: number, onChange: () => void): () => void {
  let last: number | undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    readRegistryVersion(platform)
      .then((v) => {
        // No baseline yet (start, or after an outage): clear too, a change may predate it.
        if (v !== last) onChange();
        last = v;
      })
      // Unreadable (database down): clear anyway, a change may be hidden behind the outage.
      .catch(() => {
        last = undefined;
        onChange();
      })
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
