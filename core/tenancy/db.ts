import mongoose, { type Connection, type Model, type Schema } from 'mongoose';
import { clustersFromEnv } from '../config';
import { DEFAULT_CLUSTER, qualifyDbName, splitDbName } from './clusters';

type MongoClient = ReturnType<Connection['getClient']>;

/**
 * One connection pool per service for all tenants: tenant databases are views
 * on it through `useDb(..., { useCache: true })` (no per-tenant pool, no leak),
 * and models are registered lazily on each tenant's connection.
 */
export class DbManager {
  /** Pools of the other clusters (MONGODB_CLUSTERS), opened on first use. */
  private readonly pools = new Map<string, Connection>();

  private constructor(
    private readonly base: Connection,
    readonly prefix: string,
    private readonly clusterUris: Record<string, string> = {},
    private readonly poolOpts: { maxPoolSize: number; monitorCommands: boolean } = { maxPoolSize: 20, monitorCommands: false },
  ) {}

  static async connect(
    uri: string,
    prefix: string,
    opts: { poolSize?: number; monitorCommands?: boolean; clusters?: Record<string, string> } = {},
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
    const db = new DbManager(base, prefix, clusters, { maxPoolSize: opts.poolSize ?? 20, monitorCommands: opts.monitorCommands ?? false });
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
    const { cluster, name } = splitDbName(dbName);
    return this.cluster(cluster).useDb(name, { useCache: true });
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

/** Returns the model registered on this connection, registering it on first use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: virtuals, methods and statics vary by model
export function modelOn<T>(conn: Connection, name: string, schema: Schema<T, any, any, any>): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? (conn.model(name, schema) as unknown as Model<T>);
}

function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
