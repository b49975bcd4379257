import type { Connection } from 'mongoose';
import { provisionDatabase } from '../core/tenancy/provision';
import { SUBGRAPH_TENANT_SCHEMAS } from '../cli/schemas';
import type { Migration } from './types';

/** Indexes the code declares but a database lacks (tenants created before they were added). */
async function missing(conn: Connection): Promise<number> {
  let n = 0;
  for (const schemas of Object.values(SUBGRAPH_TENANT_SCHEMAS)) {
    for (const schema of Object.values(schemas)) {
      const name = schema.get('collection') as string;
      const have = await conn.db!.collection(name).indexes().catch(() => []);
      const keys = new Set(have.map((i) => JSON.stringify(i.key)));
      n += schema.indexes().filter(([key]) => !keys.has(JSON.stringify(key))).length;
    }
  }
  return n;
}

export const ensureIndexes: Migration = {
  id: '001-ensure-indexes',
  description: 'Create every collection and index the subgraphs declare (same as provisioning)',
  pending: missing,
  async up(conn) {
    const before = await missing(conn);
    for (const schemas of Object.values(SUBGRAPH_TENANT_SCHEMAS)) await provisionDatabase(conn, schemas);
    return before;
  },
};
