import { LRUCache } from 'lru-cache';
import mongoose, { type Connection, type Model, type Schema } from 'mongoose';
import { clustersFromEnv } from '../config';
import { DEFAULT_CLUSTER, qualifyDbName, splitDbName } from './clusters';
import { ModelTemplates } from './model-templates';

type MongoClient = ReturnType<Connection['getClient']>;

/** Tenant database views a process keeps by default (TENANT_CONNECTIONS_MAX). */
export const DEFAULT_MAX_TENANT_CONNECTIONS = 2000;

/**
 * One connection pool per service for all tenants: tenant databases are views
 * on it (`useDb`: no per-tenant pool), and models are registered lazily on each
 * tenant's view. The views are kept in a least-recently-used cache of
 * `maxTenants`: with thousands of tenants a process holds the busy ones, not one
 * view and ~15 compiled models per tenant it ever saw (issue 19). An evicted view
 * is only forgotten, never closed: a request still holding it finishes on it (it
 * shares the pool), and the next touch makes a fresh view.
 */
export class DbManager {
  /** Pools of the other clusters (MONGODB_CLUSTERS), opened on first use. */
  private readonly pools = new Map<string, Connection>();
  private readonly tenants: LRUCache<string, Connection>;
  private readonly templates: ModelTemplates;

  private constructor(
    private readonly base: Connection,
    readonly prefix: string,
    private readonly clusterUris: Record<string, string> = {},
    private readonly poolOpts: { maxPoolSize: number; monitorCommands: boolean } = { maxPoolSize: 20, monitorCommands: false },
    maxTenants = DEFAULT_MAX_TENANT_CONNECTIONS,
  ) {
    this.tenants = new LRUCache<string, Connection>({ max: maxTenants, dispose: (conn) => forget(conn) });
    // Never queried: it only holds the compiled models the tenant views bind to.
    this.templates = new ModelTemplates(base.useDb(`${prefix}model_templates`));
  }

  static async connect(
    uri: string,
    prefix: string,
    opts: { poolSize?: number; monitorCommands?: boolean; clusters?: Record<string, string>; maxTenants?: number } = {},
  ): Promise<DbManager> {
    // Filters are built from typed inputs only; this is the second line of defence.
    mongoose.set('sanitizeFilter', true);
    const base = mongoose.createConnection(uri, {
      maxPoolSize: opts.poolSize ?? 20,
      // Lets tests and benchmarks count database round trips (commandStarted events).
      monitorCommands: opts.monitorCommands ?? false,
      serverSelectionTimeoutMS: 5000,
      autoIndex: false,
      autoCreate: false,
    });
    try {
      await base.asPromise();
    } catch (err) {
      await base.close().catch(() => undefined);
      throw new Error(`Cannot connect to MongoDB at ${redactUri(uri)}: ${(err as Error).message}`);
    }
    const clusters = opts.clusters ?? clustersFromEnv();
    const db = new DbManager(base, prefix, clusters, { maxPoolSize: opts.poolSize ?? 20, monitorCommands: opts.monitorCommands ?? false }, opts.maxTenants);
    // Every cluster is reachable before the service starts (same rule as the default one).
    for (const name of Object.keys(clusters)) {
      await db
        .cluster(name)
        .asPromise()
        .catch(async (err: Error) => {
          await db.close();
          throw new Error(`Cannot connect to MongoDB cluster "${name}" at ${redactUri(clusters[name])}: ${err.message}`);
        });
    }
    return db;
  }

  platform(): Connection {
    return this.base.useDb(`${this.prefix}platform`, { useCache: true });
  }

  /** A tenant database by the registry's `dbName` (`<cluster>/<db>` outside the default cluster). */
  tenant(dbName: string): Connection {
    let conn = this.tenants.get(dbName);
    if (!conn) {
      const { cluster, name } = splitDbName(dbName);
      // Not mongoose's own cache (useCache), which never lets go: this LRU does.
      conn = this.cluster(cluster).useDb(name);
      (conn as Templated)[TEMPLATES] = this.templates;
      this.tenants.set(dbName, conn);
    }
    return conn;
  }

  /** How many tenant views this process holds now (bounded by maxTenants). */
  get tenantViews(): number {
    return this.tenants.size;
  }

  /** Names of the clusters this process can reach ('default' first). */
  clusterNames(): string[] {
    return [DEFAULT_CLUSTER, ...Object.keys(this.clusterUris)];
  }

  /** The pool of one cluster; throws for a name MONGODB_CLUSTERS does not define. */
  cluster(name: string): Connection {
    if (name === DEFAULT_CLUSTER) return this.base;
    let pool = this.pools.get(name);
    if (!pool) {
      const uri = this.clusterUris[name];
      if (!uri) throw new Error(`Unknown MongoDB cluster "${name}" (not in MONGODB_CLUSTERS)`);
      // Opened in connect(); commands would buffer until open anyway.
      pool = mongoose.createConnection(uri, { ...this.poolOpts, serverSelectionTimeoutMS: 5000, autoIndex: false, autoCreate: false });
      pool.on('error', () => undefined);
      this.pools.set(name, pool);
    }
    return pool;
  }

  /** The driver client of this pool (metrics and tracing listen to its events). */
  client(): MongoClient {
    return this.base.getClient();
  }

  /** Calls `listener` for every command sent on this pool; returns an unsubscribe function. */
  onCommand(listener: (e: mongoose.mongo.CommandStartedEvent) => void): () => void {
    const client = this.base.getClient();
    client.on('commandStarted', listener);
    return () => void client.off('commandStarted', listener);
  }

  /** The registry's dbName for a tenant; outside the default cluster the name also carries the cluster, so two clusters on one server never collide. */
  tenantDbName(slug: string, cluster: string = DEFAULT_CLUSTER): string {
    return cluster === DEFAULT_CLUSTER ? `${this.prefix}tenant_${slug}` : qualifyDbName(cluster, `${this.prefix}${cluster}_tenant_${slug}`);
  }

  async ping(): Promise<boolean> {
    try {
      await this.base.db?.admin().command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    for (const pool of this.pools.values()) await pool.close().catch(() => undefined);
    await this.base.close();
  }
}

const TEMPLATES = Symbol('studyspot.modelTemplates');
type Templated = Connection & { [TEMPLATES]?: ModelTemplates };

/**
 * Returns the model registered on this connection, registering it on first use: on a
 * tenant view bound from the process's compiled template (cheap), elsewhere compiled.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: virtuals, methods and statics vary by model
export function modelOn<T>(conn: Connection, name: string, schema: Schema<T, any, any, any>): Model<T> {
  const existing = conn.models[name] as Model<T> | undefined;
  if (existing) return existing;
  const templates = (conn as Templated)[TEMPLATES];
  return templates ? templates.bind(conn, name, schema) : (conn.model(name, schema) as unknown as Model<T>);
}

/**
 * Drops an evicted tenant view from its pool's bookkeeping: `useDb` lists every view
 * in the parent's `otherDbs` (to pass on state changes), which would otherwise keep it,
 * and its models, alive forever. Not `removeDb`: that marks the view closed, and a
 * request still using it would stall.
 */
function forget(conn: Connection): void {
  const view = conn as Connection & { _parent?: Connection & { otherDbs: Connection[] }; otherDbs: Connection[] };
  const parent = view._parent;
  if (parent) parent.otherDbs = parent.otherDbs.filter((c) => c !== conn);
  view.otherDbs = [];
}

function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
