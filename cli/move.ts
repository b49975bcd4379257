import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CLUSTER } from '../core/tenancy/clusters';
import type { DbManager } from '../core/tenancy/db';
import { provisionDatabase } from '../core/tenancy/provision';
import { tenantRegistry, type TenantRecord } from '../core/tenancy/registry';
import { collectionNames, countAll, createIndex, indexSpecs } from './archive';
import { CliError, EXIT, usage } from './io';
import { SUBGRAPH_TENANT_SCHEMAS } from '../subgraphs/registry';
import { findBySlug, tenantView } from './tenant';

export interface MoveOptions {
  /** Wait after setting read-only, so mutations already past the check finish before the copy. */
  graceMs?: number;
  /** Drop the old database after the switch (default: keep it as a fallback copy). */
  dropSource?: boolean;
  /** Tells running services the entry changed, so their cached copies go (cli/tenant.ts announce). */
  announce?: (tenantId: string) => Promise<void>;
  /** The services' TENANT_CACHE_MS: how long a read may still use the old entry. */
  cacheMs?: number;
}

const BATCH = 500;

/**
 * Moves a tenant's database to another cluster: read-only flag (mutations get
 * TENANT_READ_ONLY, reads go on), copy collections + indexes, verify counts,
 * switch the registry's dbName/cluster, clear the flag. Any failure before the
 * switch clears the flag and leaves the tenant where it was.
 */
export async function moveTenant(db: DbManager, slug: string, cluster: string, opts: MoveOptions = {}) {
  const tenant = await findBySlug(db, slug);
  const from = tenant.cluster ?? DEFAULT_CLUSTER;
  if (!db.clusterNames().includes(cluster)) throw usage(`Unknown cluster "${cluster}"; known: ${db.clusterNames().join(', ')} (MONGODB_CLUSTERS)`);
  if (tenant.status === 'provisioning') throw new CliError(`Tenant "${slug}" is still being provisioned`);
  if (from === cluster) throw new CliError(`Tenant "${slug}" is already on cluster "${cluster}"`);
  if (tenant.readOnly)
    throw new CliError(`Tenant "${slug}" is read-only: another move may be running; if none is, clear the flag with: studyspot tenant writable ${slug}`);
  const targetName = db.tenantDbName(slug, cluster);
  const source = db.tenant(tenant.dbName);
  const target = db.tenant(targetName);
  if ((await collectionNames(target)).length)
    throw new CliError(`Database ${targetName} already exists on cluster "${cluster}"; drop it or choose another cluster`);

  const Registry = tenantRegistry(db.platform());
  const started = Date.now();
  await Registry.updateOne({ _id: tenant._id }, { $set: { readOnly: true } });
  let switched = false;
  try {
    await sleep(opts.graceMs ?? 1000);
    for (const schemas of Object.values(SUBGRAPH_TENANT_SCHEMAS)) await provisionDatabase(target, schemas);
    for (const name of await collectionNames(source)) {
      await target.db!.createCollection(name).catch((err: { code?: number }) => {
        if (err.code !== 48) throw err;
      });
      for (const ix of await indexSpecs(source, name)) await createIndex(target, name, ix);
      let batch: Record<string, unknown>[] = [];
      for await (const doc of source.db!.collection(name).find({}).sort({ _id: 1 })) {
        batch.push(doc);
        if (batch.length >= BATCH) {
          await target.db!.collection(name).insertMany(batch);
          batch = [];
        }
      }
      if (batch.length) await target.db!.collection(name).insertMany(batch);
    }
    const [before, after] = [await countAll(source), await countAll(target)];
    const differ = Object.keys(before).filter((c) => before[c] !== (after[c] ?? 0));
    if (differ.length) throw new CliError(`Counts differ after copy in ${differ.join(', ')}; tenant stays on "${from}"`, EXIT.verify, { before, after });
    await Registry.updateOne({ _id: tenant._id }, { $set: { dbName: targetName, cluster } });
    switched = true;
    await opts.announce?.(tenant._id.toHexString());
    // A read may still use a cached entry naming the source (unannounced: up to TENANT_CACHE_MS).
    if (opts.dropSource) {
      await sleep(opts.cacheMs ?? 0);
      await source.dropDatabase();
    }
    const moved = await Registry.findOneAndUpdate({ _id: tenant._id }, { $unset: { readOnly: 1 } }, { returnDocument: 'after' }).lean<TenantRecord>();
    return {
      tenant: tenantView(moved!),
      from: { cluster: from, dbName: tenant.dbName },
      to: { cluster, dbName: targetName },
      documents: Object.values(after).reduce((a, b) => a + b, 0),
      counts: after,
      readOnlyMs: Date.now() - started,
      sourceKept: !opts.dropSource,
    };
  } catch (err) {
    await Registry.updateOne({ _id: tenant._id }, { $unset: { readOnly: 1 } });
    // A partial copy is useless and would block the next attempt.
    if (!switched) await target.dropDatabase().catch(() => undefined);
    throw err;
  }
}

/** Clears a read-only flag left by an interrupted move (the registry still points at the source). */
export async function clearReadOnly(db: DbManager, slug: string) {
  const tenant = await findBySlug(db, slug);
  const doc = await tenantRegistry(db.platform())
    .findOneAndUpdate({ _id: tenant._id }, { $unset: { readOnly: 1 } }, { returnDocument: 'after' })
    .lean<TenantRecord>();
  return { tenant: tenantView(doc!), changed: !!tenant.readOnly };
}
