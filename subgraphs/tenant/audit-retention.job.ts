import { trusted, type Model } from 'mongoose';
import { loadServiceEnv } from '../../core/config';
import type { ContextDeps } from '../../core/context';
import { forEachTenant } from '../../core/jobs/periodic';
import { auditModel, platformAuditModel, type AuditDoc } from './audit.model';
import { tenantEnv } from './tenant.env';

const DAY_MS = 24 * 3600 * 1000;
const TTL_INDEX = 'at_ttl';
/** Server codes meaning "no TTL here" (FerretDB: NotImplemented) or "exists with other options". */
const NOT_IMPLEMENTED = 238;
const OPTIONS_CONFLICT = [85, 86];

export interface AuditRetention {
  /** Called after each stored entry: TTL index once per database, sweep at most hourly. */
  afterWrite(key: string, model: Model<AuditDoc>): Promise<void>;
  stop(): void;
}

/**
 * Retention of AUDIT_RETENTION_DAYS (default 365): a TTL index on `at` where the
 * server has TTL indexes (MongoDB), and everywhere a sweep that deletes older
 * entries — after a write (at most hourly per database and process) and on a
 * timer over every database (AUDIT_SWEEP_INTERVAL_MS, default 1 h; 0 = off), so
 * FerretDB, which has no TTL indexes, and idle tenants are cleaned as well.
 */
export function auditRetention(deps: ContextDeps): AuditRetention {
  const { AUDIT_RETENTION_DAYS: retentionDays, AUDIT_SWEEP_INTERVAL_MS: intervalMs } = loadServiceEnv(tenantEnv);
  const ttlTried = new Set<string>();
  const lastSweep = new Map<string, number>();

  async function ensureTtl(key: string, model: Model<AuditDoc>) {
    if (ttlTried.has(key)) return;
    ttlTried.add(key);
    const expireAfterSeconds = Math.round(retentionDays * 86_400);
    try {
      await model.collection.createIndex({ at: 1 }, { name: TTL_INDEX, expireAfterSeconds });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === NOT_IMPLEMENTED) return; // the sweep does the work
      if (code !== undefined && OPTIONS_CONFLICT.includes(code)) {
        // The retention changed since the index was made.
        await model.db.db!.command({ collMod: model.collection.collectionName, index: { name: TTL_INDEX, expireAfterSeconds } });
        return;
      }
      throw err;
    }
  }

  const sweep = (model: Model<AuditDoc>) => model.deleteMany({ at: trusted({ $lt: new Date(Date.now() - retentionDays * DAY_MS) }) });

  async function sweepAll() {
    await sweep(platformAuditModel(deps.db.platform()));
    await forEachTenant(
      deps,
      'audit retention',
      () => false,
      async (t, conn) => {
        await sweep(auditModel(conn));
        lastSweep.set(t.dbName, Date.now());
      },
      { spreadMs: intervalMs / 2 },
    );
  }

  const timer =
    intervalMs > 0
      ? setInterval(() => void sweepAll().catch((err: unknown) => deps.log.error({ err }, 'audit retention sweep failed')), intervalMs)
      : undefined;
  timer?.unref();

  return {
    async afterWrite(key, model) {
      await ensureTtl(key, model);
      if (Date.now() - (lastSweep.get(key) ?? 0) > 3600_000) {
        lastSweep.set(key, Date.now());
        await sweep(model);
      }
    },
    stop: () => clearInterval(timer),
  };
}
