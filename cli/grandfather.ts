import type { Connection } from 'mongoose';
import { trusted } from 'mongoose';
import { PLANS, isPlan } from '../core/tenancy/plans';
import type { DbManager } from '../core/tenancy/db';
import { TENANT_MODULES, tenantRegistry, type TenantModule, type TenantRecord } from '../core/tenancy/registry';
import { auditModel, platformAuditModel } from '../subgraphs/tenant/audit.model';
import { CliError } from './io';
import { isDuplicateKey } from '../core/store/duplicate-key';

/** Platform collection of one-time operator steps (`_id` = the step). */
const OPERATIONS = 'platform_operations';
const STEP = 'grandfather-modules';

interface OperationDoc {
  _id: string;
  cutoff: Date;
  firstRunAt: Date;
}

export interface GrandfatherResult {
  dryRun: boolean;
  /** Tenants created before this instant are grandfathered; fixed by the first real run. */
  cutoff: string;
  tenants: { slug: string; plan: string; modules: TenantModule[] }[];
  /** Tenants created before the cutoff that needed nothing. */
  unchanged: number;
}

const operations = (platform: Connection) => platform.db!.collection<OperationDoc>(OPERATIONS);

/**
 * One-time deploy step for module enforcement (MODULE_DISABLED): tenants created
 * before it could use every module, so each module their plan lacks and that they
 * never switched themselves gets an explicit `true` switch — they keep what they
 * had. A tenant's own switch (on or off) is never touched; modules the plan
 * includes stay unset (they follow the plan).
 *
 * Idempotent: the first real run records its cutoff (`--before`, default now) in
 * `platform_operations`; every later run uses that cutoff, so tenants created
 * after the deploy never get modules their plan lacks, and a tenant already
 * grandfathered needs nothing. Audited in each tenant's audit log (the owner sees
 * why modules are on) and once in the platform audit log.
 */
export async function grandfatherModules(db: DbManager, opts: { dryRun?: boolean; before?: string } = {}): Promise<GrandfatherResult> {
  const platform = db.platform();
  const recorded = await operations(platform).findOne({ _id: STEP });
  const asked = opts.before ? new Date(opts.before) : null;
  if (asked && Number.isNaN(asked.getTime())) throw new CliError(`--before: not a date: ${opts.before}`);
  if (recorded && asked && asked.getTime() !== recorded.cutoff.getTime()) {
    throw new CliError(`Modules were already grandfathered with cutoff ${recorded.cutoff.toISOString()}; re-run without --before (or with that cutoff)`);
  }
  let cutoff = recorded?.cutoff ?? asked ?? new Date();
  if (!recorded && !opts.dryRun) {
    try {
      await operations(platform).insertOne({ _id: STEP, cutoff, firstRunAt: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      cutoff = (await operations(platform).findOne({ _id: STEP }))!.cutoff; // a concurrent first run won
    }
  }
  const Registry = tenantRegistry(platform);
  const tenants = await Registry.find({ createdAt: trusted({ $lt: cutoff }), status: trusted({ $ne: 'provisioning' }) })
    .sort({ slug: 1 })
    .lean<TenantRecord[]>();
  const result: GrandfatherResult = { dryRun: !!opts.dryRun, cutoff: cutoff.toISOString(), tenants: [], unchanged: 0 };
  for (const t of tenants) {
    const defaults = (isPlan(t.plan) ? PLANS[t.plan] : PLANS.free).modules;
    const missing = TENANT_MODULES.filter((m) => !defaults[m] && typeof t.modules?.[m] !== 'boolean');
    if (!missing.length) {
      result.unchanged++;
      continue;
    }
    if (!opts.dryRun) {
      // Per module and only where still unset: a switch the tenant sets meanwhile is kept.
      const written: TenantModule[] = [];
      for (const m of missing) {
        const r = await Registry.updateOne({ _id: t._id, [`modules.${m}`]: trusted({ $exists: false }) }, { $set: { [`modules.${m}`]: true } });
        if (r.modifiedCount) written.push(m);
      }
      if (!written.length) continue;
      await auditModel(db.tenant(t.dbName)).create(auditEntry(t._id.toHexString(), { plan: t.plan, modules: written, cutoff }));
      result.tenants.push({ slug: t.slug, plan: t.plan, modules: written });
    } else {
      result.tenants.push({ slug: t.slug, plan: t.plan, modules: missing });
    }
  }
  if (!opts.dryRun && result.tenants.length) {
    await platformAuditModel(platform).create(auditEntry(null, { cutoff, tenants: result.tenants }));
  }
  return result;
}

const auditEntry = (entityId: string | null, result: unknown) => ({
  service: 'cli',
  action: 'grandfatherModules',
  userId: 'cli',
  role: 'operator',
  entityId,
  input: { step: STEP },
  result,
  ip: null,
  requestId: `cli-${STEP}`,
  at: new Date(),
});
