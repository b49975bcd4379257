import type { Connection, Schema } from 'mongoose';
import { provisionDatabase } from '../core/tenancy/provision';
import type { Migration } from './types';

/** How many indexes these schemas declare that the database lacks (a missing collection lacks them all). */
async function missingIndexes(conn: Connection, schemas: Schema[]): Promise<number> {
  let n = 0;
  for (const schema of schemas) {
    const name = schema.get('collection') as string;
    const have = await conn
      .db!.collection(name)
      .indexes()
      .catch(() => []);
    const keys = new Set(have.map((i) => JSON.stringify(i.key)));
    n += schema.indexes().filter(([key]) => !keys.has(JSON.stringify(key))).length;
  }
  return n;
}

/**
 * A migration that creates collections and indexes the code declares but a tenant
 * database lacks (provisioned before they existed): each group of schemas is
 * provisioned as at tenant creation. Counts the missing indexes.
 */
export function indexMigration(id: string, description: string, groups: Record<string, Schema>[]): Migration {
  const pending = (conn: Connection) =>
    missingIndexes(
      conn,
      groups.flatMap((g) => Object.values(g)),
    );
  return {
    id,
    description,
    pending,
    async up(conn) {
      const before = await pending(conn);
      for (const schemas of groups) await provisionDatabase(conn, schemas);
      return before;
    },
  };
}
