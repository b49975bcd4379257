import { SingleBar, Presets } from 'cli-progress';
import type { Connection } from 'mongoose';
import type { DbManager } from '../core/tenancy/db';
import { tenantRegistry, type TenantRecord } from '../core/tenancy/registry';
import { MIGRATIONS, type Migration } from '../migrations';

/** One record per applied migration in each tenant database. */
export const MIGRATIONS_COLLECTION = '_migrations';

interface MigrationRecord {
  _id: string;
  appliedAt: Date;
  changed: number;
  durationMs: number;
}

export interface MigrateOptions {
  dryRun?: boolean;
  /** Only this tenant. */
  slug?: string;
  /** Tests pass their own list; the CLI uses migrations/index.ts. */
  migrations?: Migration[];
  progress?: boolean;
}

export interface TenantMigrationResult {
  slug: string;
  applied: { id: string; changed: number }[];
  pending: { id: string; wouldChange: number }[];
  error?: { id: string; message: string };
}

const records = (conn: Connection) => conn.db!.collection<MigrationRecord>(MIGRATIONS_COLLECTION);

/**
 * Applies pending migrations tenant by tenant, in order. Each applied migration
 * is recorded in that tenant's `_migrations` right after it runs, so a run that
 * is interrupted (crash, Ctrl-C, one tenant failing) resumes where it stopped.
 * A tenant whose migration fails gets no further ones; the others carry on.
 */
export async function migrate(db: DbManager, opts: MigrateOptions = {}) {
  const list = [...(opts.migrations ?? MIGRATIONS)].sort((a, b) => a.id.localeCompare(b.id));
  const query = opts.slug ? { slug: opts.slug } : {};
  const tenants = (await tenantRegistry(db.platform()).find(query).sort({ slug: 1 }).lean<TenantRecord[]>()).filter((t) => t.status !== 'provisioning');
  const todo = new Map<string, Migration[]>();
  for (const t of tenants) {
    const done = new Set(
      (
        await records(db.tenant(t.dbName))
          .find({}, { projection: { _id: 1 } })
          .toArray()
      ).map((r) => r._id),
    );
    todo.set(
      t.slug,
      list.filter((m) => !done.has(m.id)),
    );
  }
  const total = [...todo.values()].reduce((n, l) => n + l.length, 0);
  const bar =
    opts.progress && total
      ? new SingleBar({ format: 'migrate [{bar}] {value}/{total} {tenant} {migration}', stream: process.stderr }, Presets.shades_classic)
      : null;
  bar?.start(total, 0, { tenant: '', migration: '' });
  const results: TenantMigrationResult[] = [];
  try {
    for (const t of tenants) {
      const conn = db.tenant(t.dbName);
      const result: TenantMigrationResult = { slug: t.slug, applied: [], pending: [] };
      results.push(result);
      for (const m of todo.get(t.slug)!) {
        bar?.update({ tenant: t.slug, migration: m.id });
        try {
          if (opts.dryRun) {
            result.pending.push({ id: m.id, wouldChange: await m.pending(conn) });
          } else {
            const started = Date.now();
            const changed = await m.up(conn);
            await records(conn).updateOne({ _id: m.id }, { $set: { appliedAt: new Date(), changed, durationMs: Date.now() - started } }, { upsert: true });
            result.applied.push({ id: m.id, changed });
          }
        } catch (err) {
          result.error = { id: m.id, message: (err as Error).message };
          break;
        } finally {
          bar?.increment();
        }
      }
    }
  } finally {
    bar?.stop();
  }
  const failed = results.filter((r) => r.error);
  return {
    dryRun: !!opts.dryRun,
    tenants: results.length,
    applied: results.reduce((n, r) => n + r.applied.length, 0),
    pending: results.reduce((n, r) => n + r.pending.length, 0),
    failed: failed.length,
    results,
  };
}
