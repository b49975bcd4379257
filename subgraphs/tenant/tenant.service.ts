import type { TenantContext } from './context';
import { conflict } from '../../core/errors';
import { provisionPeers } from './peers.client';
import { topics } from '../../core/events';
import { parseId } from '../../core/ids';
import { provisionDatabase } from '../../core/tenancy/provision';
import { findTenant, tenantRegistry, type TenantRecord } from '../../core/tenancy/registry';
import { isPlatformRole } from '../../core/permissions/catalog';
import { changeTenantStatus } from '../../core/tenancy/tenant-status';
import { hashPassword } from './auth.service';
import { effectiveModules, planLimits } from '../../core/tenancy/plans';
import type { CreateTenantInput } from './tenant.input';
import type { TenantStatus } from './tenant.type';
import { tenantSubgraphSchemas } from './tenant-db.model';
import { userModel } from './user.model';
import { isDuplicateKey } from '../../core/store/duplicate-key';

export const toTenant = (t: TenantRecord) => ({
  id: t._id.toHexString(),
  name: t.name,
  slug: t.slug,
  domain: t.domain,
  status: t.status,
  plan: t.plan,
  limits: t.limits,
  branding: t.branding ?? {},
  modules: effectiveModules(t.plan, t.modules),
  createdAt: t.createdAt,
});

/**
 * Registers the tenant, provisions its database in every subgraph (explicit
 * internal call per peer), creates its owner, then marks it active. A retry
 * with the same slug resumes a tenant left in `provisioning` by a crash.
 */
export async function createTenant(ctx: TenantContext, input: CreateTenantInput) {
  const Registry = tenantRegistry(ctx.db.platform());
  let record = await Registry.findOne({ slug: input.slug }).lean<TenantRecord>();
  if (record && record.status !== 'provisioning') throw conflict('A tenant with this slug already exists', 'slug');
  if (!record) {
    const plan = input.plan ?? 'free';
    try {
      const created = await Registry.create({
        name: input.name,
        slug: input.slug,
        domain: input.domain,
        plan,
        limits: input.limits ? { ...input.limits } : planLimits(plan),
        branding: input.branding ? { ...input.branding } : { displayName: input.name },
        status: 'provisioning',
        dbName: ctx.db.tenantDbName(input.slug),
      });
      record = created.toObject() as TenantRecord;
    } catch (err) {
      if (isDuplicateKey(err)) throw conflict('A tenant with this slug or domain already exists', 'slug');
      throw err;
    }
  }
  const conn = ctx.db.tenant(record.dbName);
  await provisionDatabase(conn, tenantSubgraphSchemas);
  await provisionPeers(ctx, record._id.toHexString());
  const Users = userModel(conn);
  const email = input.owner.email.toLowerCase().trim();
  if (!(await Users.exists({ email }))) {
    await Users.create({ email, name: input.owner.name, role: 'owner', passwordHash: await hashPassword(input.owner.password) });
  }
  const active = await Registry.findByIdAndUpdate(record._id, { $set: { status: 'active' } }, { returnDocument: 'after' }).lean<TenantRecord>();
  return toTenant(active!);
}

export async function setTenantStatus(ctx: TenantContext, id: string, status: 'active' | 'suspended') {
  const { doc, changed } = await changeTenantStatus(ctx.db.platform(), parseId(id, 'id'), status);
  // Live connections of a suspended tenant are closed by the gateway on this event.
  if (changed) await ctx.publish(topics.tenantStatus, { tenantId: id, status });
  return toTenant(doc);
}

/** Every tenant, by slug (platform roles). */
export async function listTenants(ctx: TenantContext, status?: TenantStatus) {
  const docs = await tenantRegistry(ctx.db.platform())
    .find(status ? { status } : {})
    .sort({ slug: 1 })
    .limit(1000)
    .lean<TenantRecord[]>();
  return docs.map(toTenant);
}

/** Tenants are platform records: a tenant user may only resolve its own. */
export async function resolveTenantReference(ref: Record<string, unknown>, ctx: TenantContext) {
  if (!ctx.auth || typeof ref.id !== 'string') return null;
  if (isPlatformRole(ctx.auth.role)) {
    const t = await findTenant(ctx.db.platform(), { id: ref.id });
    return t ? toTenant(t) : null;
  }
  return ref.id === ctx.auth.tid ? toTenant(await ctx.tenant()) : null;
}
