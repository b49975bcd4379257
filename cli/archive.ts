import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { mongo, Types, type Connection } from 'mongoose';
import { DEFAULT_CLUSTER } from '../core/tenancy/clusters';
import type { DbManager } from '../core/tenancy/db';
import { provisionDatabase } from '../core/tenancy/provision';
import { tenantRegistry, type TenantRecord } from '../core/tenancy/registry';
import { CliError, EXIT, usage } from './io';
import { tenantPrefix } from '../core/storage/kinds';
import type { ObjectStore } from '../core/storage/object-store';
import { SUBGRAPH_TENANT_SCHEMAS } from '../subgraphs/registry';
import { findBySlug, tenantView } from './tenant';

const { EJSON } = mongo.BSON;

/**
 * Archive format (gzip'd JSON lines, Extended JSON v2 canonical so ObjectIds,
 * dates and decimals survive): a header line with the format version and the
 * registry entry, per collection a line with its indexes and document count
 * followed by one line per document, one line per stored file (object storage,
 * when configured: photos, ID-proof scans, logos) and an end line with all counts
 * (a truncated file has no end line and is refused).
 */
export const ARCHIVE_FORMAT = 'studyspot-tenant-archive';
export const ARCHIVE_VERSION = 1;

type Line =
  | { t: 'header'; format: string; version: number; exportedAt: string; tenant: Record<string, unknown> }
  | { t: 'collection'; name: string; indexes: IndexSpec[]; count: number }
  | { t: 'doc'; c: string; d: Record<string, unknown> }
  // A stored file of the tenant: its key below tenants/<tenantId>/, and the bytes (base64).
  | { t: 'object'; key: string; contentType: string; size: number; data: string }
  | { t: 'end'; counts: Record<string, number>; objects?: number };

interface IndexSpec {
  key: Record<string, 1 | -1 | 'text' | '2d'>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
}

const BATCH = 500;

/** User collections of a tenant database, sorted (system collections excluded). */
export async function collectionNames(conn: Connection): Promise<string[]> {
  const list = await conn.db!.listCollections({}, { nameOnly: true }).toArray();
  return list
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
}

/** Document count per collection: what export, import and move verify. */
export async function countAll(conn: Connection): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await collectionNames(conn)) counts[name] = await conn.db!.collection(name).countDocuments({});
  return counts;
}

export async function indexSpecs(conn: Connection, name: string): Promise<IndexSpec[]> {
  const list = await conn.db!.collection(name).indexes();
  return list
    .filter((i) => i.name !== '_id_')
    .map((i) => ({ key: i.key as IndexSpec['key'], name: i.name!, ...(i.unique ? { unique: true } : {}), ...(i.sparse ? { sparse: true } : {}) }));
}

/** Re-creates an archived/copied index; one the provisioning already made (same keys or name) is fine. */
export async function createIndex(conn: Connection, collection: string, ix: IndexSpec): Promise<void> {
  const options = { name: ix.name, ...(ix.unique ? { unique: true } : {}), ...(ix.sparse ? { sparse: true } : {}) };
  await conn
    .db!.collection(collection)
    .createIndex(ix.key, options)
    .catch((err: { code?: number }) => {
      if (err.code !== 85 && err.code !== 86) throw err; // IndexOptionsConflict / IndexKeySpecsConflict
    });
}

/** `store`: the deployment's object storage (null = none); the tenant's objects go into the archive. */
export async function exportTenant(db: DbManager, slug: string, file: string, store: ObjectStore | null = null) {
  const tenant = await findBySlug(db, slug);
  const conn = db.tenant(tenant.dbName);
  const gzip = createGzip();
  const out = createWriteStream(file);
  gzip.pipe(out);
  const write = async (line: Line) => {
    if (!gzip.write(`${EJSON.stringify(line, { relaxed: false })}\n`)) await once(gzip, 'drain');
  };
  const counts: Record<string, number> = {};
  await write({
    t: 'header',
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: new Date().toISOString(),
    tenant: tenant as unknown as Record<string, unknown>,
  });
  for (const name of await collectionNames(conn)) {
    const coll = conn.db!.collection(name);
    await write({ t: 'collection', name, indexes: await indexSpecs(conn, name), count: await coll.countDocuments({}) });
    let n = 0;
    for await (const d of coll.find({}).sort({ _id: 1 })) {
      await write({ t: 'doc', c: name, d });
      n++;
    }
    counts[name] = n;
  }
  let objects = 0;
  if (store) {
    const prefix = tenantPrefix(tenant._id.toHexString());
    for (const o of await store.list(prefix)) {
      const head = await store.head(o.key);
      if (!head) continue; // deleted meanwhile
      await write({
        t: 'object',
        key: o.key.slice(prefix.length),
        contentType: head.contentType,
        size: head.size,
        data: (await store.read(o.key)).toString('base64'),
      });
      objects++;
    }
  }
  await write({ t: 'end', counts, objects });
  gzip.end();
  await finished(out);
  return { tenant: tenantView(tenant), file, collections: Object.keys(counts).length, documents: sum(counts), counts, objects };
}

const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

async function* readArchive(file: string): AsyncGenerator<Line> {
  let lineNo = 0;
  try {
    // pipeline (not pipe) so a missing or unreadable file errors the gunzip stream instead of leaving it open forever.
    const input = pipeline(createReadStream(file), createGunzip(), () => undefined);
    const rl = createInterface({ input, crlfDelay: Infinity });
    for await (const text of rl) {
      lineNo++;
      if (!text.trim()) continue;
      try {
        yield EJSON.parse(text, { relaxed: false }) as Line;
      } catch {
        throw new CliError(`${file}: line ${lineNo} is not valid Extended JSON`);
      }
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: cannot read archive (${(err as Error).message})`);
  }
}

export interface ImportArgs {
  file: string;
  as?: string;
  cluster?: string;
}

/**
 * Restores an archive as a new tenant: registry entry in `provisioning`,
 * provisioning schemas + the archive's own indexes, documents in batches,
 * counts verified, then the archived status. Refuses a slug that exists.
 */
export async function importTenant(db: DbManager, args: ImportArgs, store: ObjectStore | null = null) {
  const lines = readArchive(args.file);
  try {
    return await importLines(db, args, lines, store);
  } finally {
    await lines.return(undefined); // closes the file when a check refused the import early
  }
}

async function importLines(db: DbManager, args: ImportArgs, lines: AsyncGenerator<Line>, store: ObjectStore | null) {
  const first = (await lines.next()).value as Line | undefined;
  if (!first || first.t !== 'header' || first.format !== ARCHIVE_FORMAT) throw new CliError(`${args.file} is not a StudySpot tenant archive`);
  if (first.version > ARCHIVE_VERSION) throw new CliError(`${args.file} has format version ${first.version}; this CLI reads up to ${ARCHIVE_VERSION}`);
  const source = first.tenant as unknown as TenantRecord;
  const slug = args.as ?? source.slug;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/.test(slug))
    throw usage(`--as: "${slug}" is not a valid slug (lowercase letters, digits and dashes, 1-30 characters)`);
  const cluster = args.cluster ?? DEFAULT_CLUSTER;
  if (!db.clusterNames().includes(cluster)) throw usage(`Unknown cluster "${cluster}"; known: ${db.clusterNames().join(', ')}`);
  const Registry = tenantRegistry(db.platform());
  if (await Registry.exists({ slug })) {
    throw new CliError(`A tenant with slug "${slug}" already exists; import under a free slug with --as <slug>`);
  }
  const dbName = db.tenantDbName(slug, cluster);
  const conn = db.tenant(dbName);
  if ((await collectionNames(conn)).length) throw new CliError(`Database ${dbName} already holds collections; refusing to import over it`);

  // The original id when free (a restore keeps tokens and platform references valid), else a new one.
  const idFree = source._id && !(await Registry.exists({ _id: source._id }));
  const domainFree = source.domain && !(await Registry.exists({ domain: source.domain }));
  const record = (
    await Registry.create({
      ...(idFree ? { _id: source._id } : { _id: new Types.ObjectId() }),
      name: source.name,
      slug,
      ...(domainFree ? { domain: source.domain } : {}),
      plan: source.plan,
      limits: source.limits,
      branding: source.branding ?? {},
      modules: source.modules,
      status: 'provisioning',
      dbName,
      cluster,
    })
  ).toObject() as TenantRecord;

  for (const schemas of Object.values(SUBGRAPH_TENANT_SCHEMAS)) await provisionDatabase(conn, schemas);
  const expected: Record<string, number> = {};
  let end: Record<string, number> | undefined;
  let batch: Record<string, unknown>[] = [];
  let current = '';
  // Stored files go under the new tenant's prefix (its id may differ from the archived one).
  const prefix = tenantPrefix(record._id.toHexString());
  let objects = 0;
  const flush = async () => {
    if (batch.length) await conn.db!.collection(current).insertMany(batch, { ordered: true });
    batch = [];
  };
  for await (const line of lines) {
    if (line.t === 'collection') {
      await flush();
      current = line.name;
      expected[line.name] = Number(line.count); // canonical EJSON parses numbers as Int32 objects
      await conn.db!.createCollection(line.name).catch((err: { code?: number }) => {
        if (err.code !== 48) throw err;
      });
      for (const ix of line.indexes) await createIndex(conn, line.name, ix);
    } else if (line.t === 'doc') {
      if (line.c !== current) throw new CliError(`${args.file}: document of ${line.c} outside its section`);
      batch.push(line.d);
      if (batch.length >= BATCH) await flush();
    } else if (line.t === 'object') {
      if (!store) throw new CliError(`${args.file} holds stored files: set S3_* (object storage) to import it; tenant "${slug}" left in provisioning`);
      await store.write(`${prefix}${line.key}`, Buffer.from(line.data, 'base64'), line.contentType);
      objects++;
    } else if (line.t === 'end') {
      end = Object.fromEntries(Object.entries(line.counts).map(([c, n]) => [c, Number(n)]));
      if (line.objects !== undefined && Number(line.objects) !== objects) {
        throw new CliError(`${args.file}: ${objects} stored files read, ${Number(line.objects)} expected; tenant "${slug}" left in provisioning`, EXIT.verify);
      }
    }
  }
  await flush();
  if (!idFree) await rekeyFiles(conn, tenantPrefix(String(source._id)), prefix);
  if (!end) throw new CliError(`${args.file} is truncated (no end record); tenant "${slug}" left in provisioning`, EXIT.verify);
  const actual = await countAll(conn);
  const mismatched = Object.keys(end).filter((c) => (actual[c] ?? 0) !== end![c] || (expected[c] ?? end![c]) !== end![c]);
  if (mismatched.length) {
    throw new CliError(`Counts differ after import in ${mismatched.join(', ')}; tenant "${slug}" left in provisioning`, EXIT.verify, { expected: end, actual });
  }
  const status = source.status === 'suspended' ? 'suspended' : 'active';
  const done = await Registry.findByIdAndUpdate(record._id, { $set: { status } }, { returnDocument: 'after' }).lean<TenantRecord>();
  return {
    tenant: tenantView(done!),
    from: source.slug,
    keptId: !!idFree,
    keptDomain: !!domainFree || !source.domain,
    collections: Object.keys(end).length,
    documents: sum(end),
    counts: end,
    objects,
  };
}

/** File records (`*_files`) name their object's key: under a new tenant id they point at the new prefix. */
async function rekeyFiles(conn: Connection, from: string, to: string): Promise<void> {
  for (const name of (await collectionNames(conn)).filter((n) => n.endsWith('_files'))) {
    const coll = conn.db!.collection<{ _id: unknown; key: string }>(name);
    for await (const d of coll.find({}, { projection: { key: 1 } })) {
      if (d.key.startsWith(from)) await coll.updateOne({ _id: d._id }, { $set: { key: `${to}${d.key.slice(from.length)}` } });
    }
  }
}
