import type { DbManager } from '../core/tenancy/db';
import { rebuildAnalytics } from '../subgraphs/student/analytics/analytics-rebuild.service';
import { readSettings } from '../subgraphs/student/settings.service';
import { findBySlug } from './tenant';

/**
 * `studyspot tenant analytics-rebuild <slug>`: rebuilds a tenant's student analytics
 * rollups from its students and attendance (docs/flows/analytics.md). For a tenant with
 * a long history before the analytics existed (so its first report does not pay for it),
 * and as a repair where concurrent increments were not applied atomically (FerretDB).
 */
export async function rebuildTenantAnalytics(db: DbManager, slug: string): Promise<{ slug: string; documents: number; ms: number }> {
  const tenant = await findBySlug(db, slug);
  const conn = db.tenant(tenant.dbName);
  const started = Date.now();
  const { documents } = await rebuildAnalytics(conn, (await readSettings(conn)).timezone);
  return { slug, documents, ms: Date.now() - started };
}
