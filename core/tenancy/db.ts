import mongoose, { type Connection, type Model, type Schema } from 'mongoose';

/**
 * One connection pool per service for all tenants: tenant databases are views
 * on it through `useDb(..., { useCache: true })` (no per-tenant pool, no leak),
 * and models are registered lazily on each tenant's connection.
 */
export class DbManager {
  private constructor(
    private readonly base: Connection,
    readonly prefix: string,
  ) {}

  static async connect(uri: string, prefix: string, opts: { poolSize?: number; monitorCommands?: boolean } = {}): Promise<DbManager> {
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
    return new DbManager(base, prefix);
  }

  platform(): Connection {
    return this.base.useDb(`${this.prefix}platform`, { useCache: true });
  }

  tenant(dbName: string): Connection {
    return this.base.useDb(dbName, { useCache: true });
  }

  /** Calls `listener` for every command sent on this pool; returns an unsubscribe function. */
  onCommand(listener: (e: { commandName: string; databaseName: string }) => void): () => void {
    const client = this.base.getClient();
    client.on('commandStarted', listener);
    return () => void client.off('commandStarted', listener);
  }

  tenantDbName(slug: string): string {
    return `${this.prefix}tenant_${slug}`;
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
    await this.base.close();
  }
}

/** E11000: an insert or update hit a unique index (our one atomic guard on every server). */
export const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

/** Returns the model registered on this connection, registering it on first use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function modelOn<T>(conn: Connection, name: string, schema: Schema<T, any, any, any>): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? (conn.model(name, schema) as unknown as Model<T>);
}

function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
