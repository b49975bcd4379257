/**
 * Tenants across MongoDB clusters (the master plan's `database_host`). The
 * registry's `dbName` of a tenant outside the default cluster is qualified as
 * `<cluster>/<database>` ('/' never occurs in a MongoDB database name), so every
 * `db.tenant(record.dbName)` call routes to the right pool without knowing about
 * clusters; `cluster` on the record says the same for people and tools.
 */
export const DEFAULT_CLUSTER = 'default';

const NAME = /^[a-z0-9_-]{1,20}$/;

/** Parses MONGODB_CLUSTERS: `name=uri` entries separated by `;` or whitespace. Throws on a malformed entry. */
export function parseClusters(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of (spec ?? '').split(/[;\s]+/).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    const uri = entry.slice(eq + 1);
    if (eq < 1 || !NAME.test(name) || !/^mongodb(\+srv)?:\/\/.+/.test(uri)) {
      throw new Error(`MONGODB_CLUSTERS: "${entry.replace(/\/\/[^@/]*@/, '//***@')}" is not name=mongodb://... (name: a-z 0-9 _ -, max 20)`);
    }
    if (name === DEFAULT_CLUSTER) throw new Error('MONGODB_CLUSTERS: "default" is MONGODB_URI and cannot be redefined');
    out[name] = uri;
  }
  return out;
}

export function splitDbName(dbName: string): { cluster: string; name: string } {
  const slash = dbName.indexOf('/');
  return slash < 0 ? { cluster: DEFAULT_CLUSTER, name: dbName } : { cluster: dbName.slice(0, slash), name: dbName.slice(slash + 1) };
}

export function qualifyDbName(cluster: string, name: string): string {
  return cluster === DEFAULT_CLUSTER ? name : `${cluster}/${name}`;
}
