import type { Connection } from 'mongoose';
import type { ContextDeps } from '../context';
import type { Logger } from '../logger';
import { tenantRegistry, type TenantRecord } from '../tenancy/registry';

export interface PeriodicJobOptions {
  /** Names the job in logs. */
  name: string;
  /** Time between two runs' starts, in ms. */
  intervalMs: number;
  log: Logger;
  /** One run. `stopped()` turns true once stop() is called, so a long run can end early. */
  run(stopped: () => boolean): Promise<void>;
}

/**
 * A periodic job of one process: runs never overlap (a tick during a run is skipped),
 * the timer does not hold the process open, and the returned stop() waits for the run
 * under way. Jobs here must be safe on several instances at once (their steps are keyed).
 */
export function usePeriodicJob(opts: PeriodicJobOptions): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = opts
      .run(() => stopped)
      .catch((err: unknown) => opts.log.error({ err, job: opts.name }, 'periodic job failed'))
      .finally(() => {
        running = null;
      });
  }, opts.intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

type EachTenant = (tenant: Pick<TenantRecord, '_id' | 'slug' | 'dbName'>, conn: Connection) => Promise<void>;

/**
 * Calls `each` for every active tenant with its database, one after the other, until
 * `stopped()`; a failing tenant is logged (with `name`) and does not stop the others.
 * The one way background jobs open tenant databases (requests use ctx.tenantDb()).
 */
export function forEachActiveTenant(
  deps: Pick<ContextDeps, 'db' | 'log'>,
  name: string,
  stopped: () => boolean,
  each: EachTenant,
  opts: Pick<TenantSweepOptions, 'spreadMs'> = {},
): Promise<void> {
  return forEachTenant(deps, name, stopped, each, { ...opts, status: 'active' });
}

export interface TenantSweepOptions {
  /** Only tenants in this status (default: all). */
  status?: TenantRecord['status'];
  /**
   * Spread the sweep over about this long (pauses between tenants) instead of one burst:
   * at 10,000 tenants an hourly job's burst holds the database for minutes (issue 19).
   */
  spreadMs?: number;
}

/** forEachActiveTenant over every registered tenant whatever its status (retention: a suspended tenant's data ages too). */
export async function forEachTenant(
  deps: Pick<ContextDeps, 'db' | 'log'>,
  name: string,
  stopped: () => boolean,
  each: EachTenant,
  opts: TenantSweepOptions = {},
): Promise<void> {
  const filter = opts.status ? { status: opts.status } : {};
  // Read up front, not through a cursor: a paced sweep would outlive the cursor's idle timeout.
  const tenants = await tenantRegistry(deps.db.platform()).find(filter, { _id: 1, slug: 1, dbName: 1 }).lean<TenantRecord[]>();
  const pause = opts.spreadMs ? opts.spreadMs / Math.max(1, tenants.length) : 0;
  for (const t of tenants) {
    if (stopped()) break;
    if (pause >= 1) await sleepUnless(pause, stopped);
    try {
      await each(t, deps.db.tenant(t.dbName));
    } catch (err) {
      deps.log.error({ err, tenant: t.slug, job: name }, 'periodic job failed for a tenant');
    }
  }
}

/** Sleeps `ms`, waking early (every 250 ms at most) once `stopped()`. */
async function sleepUnless(ms: number, stopped: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!stopped() && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
}
