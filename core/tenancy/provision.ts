import type { Connection, Schema } from 'mongoose';
import { modelOn } from './db';

/** The collections (by model name) a subgraph keeps in each tenant database. */
export type TenantSchemas = Record<string, Schema<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- schemas of different document types in one map

/**
 * Creates a subgraph's collections and indexes in one tenant database.
 * Idempotent: safe to run again after a crash or for an existing tenant.
 */
export async function provisionDatabase(conn: Connection, schemas: TenantSchemas): Promise<void> {
  for (const [name, schema] of Object.entries(schemas)) {
    const model = modelOn(conn, name, schema);
    await model.createCollection().catch((err: { code?: number }) => {
      if (err.code !== 48) throw err; // NamespaceExists
    });
    await model.createIndexes();
  }
}

/** A subgraph whose new tenants start with no state but their collections (its `onProvision`). */
export const noProvisionState = async (_conn: Connection): Promise<void> => undefined;
