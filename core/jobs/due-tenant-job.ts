import type { Connection } from 'mongoose';
import type { ContextDeps } from '../context';
import type { TenantRecord } from '../tenancy/registry';
import { tenantById } from '../tenancy/tenant-db';
import type { DueMarks } from './due-marks';
import { forEachActiveTenant, usePeriodicJob } from './periodic';

type Tenant = Pick<TenantRecord, '_id' | 'slug' | 'dbName'>;

export interface DueTenantJobOptions {
  /** Names the job in logs. */
  name: string;
  deps: Pick<ContextDeps, 'db' | 'log' | 'tenantCache'>;
  /** Which tenants have work due (core/jobs/due-marks.ts). */
  marks: DueMarks;
  /** How often the marked tenants are visited, in ms. */
  intervalMs: number;
  /** The job's clock (tests move it); marks are due by it. */
  now?: () => Date;
  /** One tenant's due work. */
  pass(tenant: Tenant, conn: Connection): Promise<void>;
  /** When the tenant's next work is due, read from its own data after a pass (null: none). */
  next(conn: Connection, tenant: Tenant): Promise<Date | null>;
  /** Sweep only: more work per tenant (e.g. pruning a log). */
  sweepExtra?(tenant: Tenant, conn: Connection): Promise<void>;
  /** The safety sweep over every active tenant, for work written without a mark: how often (the first within a sixth of that; default 1 h) and spread over how long (default half that). */
  sweepEveryMs?: number;
  sweepSpreadMs?: number;
}

/**
 * useDueTenantJob: a periodic job that visits only the tenants marked as having work due,
 * then marks each one's next due time from its own data; beside it, a slow sweep over
 * every active tenant, spread out so it never bursts, repairs anything left unmarked. At
 * 10,000 tenants a job that polled every tenant each minute (or each 5 s) was most of
 * the database's load (issue 19). Returns the stop, which waits for both.
 */
export function useDueTenantJob(opts: DueTenantJobOptions): () => Promise<void> {
  const { deps, marks } = opts;
  const now = opts.now ?? (() => new Date());
  const every = opts.sweepEveryMs ?? 3600_000;
  const visit = async (t: Tenant, conn: Connection, read: string[]) => {
    await opts.pass(t, conn);
    await marks.settle(t._id.toHexString(), read, () => opts.next(conn, t));
  };
  // The first sweep within a sixth of the period, at a random moment: processes started
  // together do not all read the registry at once (on FerretDB ~1.7 s each at 10,000 tenants).
  let lastSweep = Date.now() - every + Math.random() * (every / 6);
  let sweeping: Promise<void> | null = null;
  const sweep = (stopped: () => boolean) =>
    forEachActiveTenant(
      deps,
      opts.name,
      stopped,
      async (t, conn) => {
        await visit(t, conn, []);
        await opts.sweepExtra?.(t, conn);
      },
      { spreadMs: opts.sweepSpreadMs ?? every / 2 },
    );
  const stopJob = usePeriodicJob({
    name: opts.name,
    intervalMs: opts.intervalMs,
    log: deps.log,
    run: async (stopped) => {
      // Beside the marked visits, never in their way: a paced sweep takes half an hour.
      if (!sweeping && Date.now() - lastSweep >= every) {
        lastSweep = Date.now();
        sweeping = sweep(stopped)
          .catch((err: unknown) => deps.log.error({ err, job: opts.name }, 'sweep failed'))
          .finally(() => (sweeping = null));
      }
      for (const [tenantId, read] of await marks.due(now())) {
        if (stopped()) return;
        const found = await tenantById(deps.db, tenantId, { active: true, cache: deps.tenantCache });
        // Suspended or gone: its marks go; the sweep finds its work once it is active again.
        if (!found) await marks.settle(tenantId, read, async () => null);
        else
          await visit(found.tenant, found.conn, read).catch((err: unknown) =>
            deps.log.error({ err, tenant: found.tenant.slug, job: opts.name }, 'periodic job failed for a tenant'),
          );
      }
    },
  });
  return async () => {
    await stopJob();
    await sweeping;
  };
}
