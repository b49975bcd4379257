import type { SharedSystem } from './shared-system';

/** Every document of every collection of a tenant database, for before/after comparisons. */
export async function snapshotTenant(sys: Pick<SharedSystem, 'db'>, slug: string): Promise<Record<string, unknown[]>> {
  const conn = sys.db.tenant(sys.db.tenantDbName(slug));
  const collections = await conn.db!.listCollections({}, { nameOnly: true }).toArray();
  const out: Record<string, unknown[]> = {};
  for (const { name } of collections.sort((a, b) => a.name.localeCompare(b.name))) {
    out[name] = await conn.collection(name).find({}).sort({ _id: 1 }).toArray();
  }
  return JSON.parse(JSON.stringify(out));
}

/** Walks every error of a response and fails if anything internal leaks. */
export function expectNoLeaks(errors: { message: string; extensions?: Record<string, unknown> }[] | undefined): void {
  for (const e of errors ?? []) {
    const text = JSON.stringify(e);
    expect(text).not.toMatch(/stacktrace|serviceName|exception|Mongo|E11000|at \w+ \(|\.ts:\d+/);
    expect(typeof e.extensions?.code).toBe('string');
    expect(typeof e.extensions?.errorCode).toBe('number');
  }
}
