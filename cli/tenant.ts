import { randomBytes } from 'node:crypto';
import { validate, type ValidationError } from 'class-validator';
import { loadConfig } from '../core/config';
import { topics } from '../core/events';
import { createPubSub, type Topic } from '../core/pubsub';
import { DEFAULT_CLUSTER } from '../core/tenancy/clusters';
import { type DbManager } from '../core/tenancy/db';
import { tenantRegistry, type TenantRecord, type TenantStatus } from '../core/tenancy/registry';
import { changeTenantStatus, TenantStatusRefused } from '../core/tenancy/tenant-status';
import { hashPassword } from '../subgraphs/tenant/auth.service';
import { planLimits } from '../core/tenancy/plans';
import { CreateTenantInput, OwnerInput } from '../subgraphs/tenant/tenant.input';
import { userModel } from '../subgraphs/tenant/user.model';
import { CliError, usage, type Io } from './io';
import { provisionAllSubgraphs } from '../subgraphs/registry';
import { isDuplicateKey } from '../core/store/duplicate-key';

export interface CreateTenantArgs {
  slug: string;
  name: string;
  ownerEmail: string;
  ownerName?: string;
  ownerPassword?: string;
  plan?: string;
  domain?: string;
  cluster?: string;
}

export const tenantView = (t: TenantRecord) => ({
  id: t._id.toHexString(),
  slug: t.slug,
  name: t.name,
  status: t.status,
  plan: t.plan,
  cluster: t.cluster ?? DEFAULT_CLUSTER,
  dbName: t.dbName,
  readOnly: !!t.readOnly,
  createdAt: t.createdAt,
});

/** Field-named messages from the API's own input rules. */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${parent}${e.property}: ${m}`),
    ...validationMessages(e.children ?? [], `${parent}${e.property}.`),
  ]);
}

/**
 * Same steps as the createTenant mutation (subgraphs/tenant/tenant.service.ts),
 * but provisioning every subgraph's schemas directly instead of over HTTP.
 * Resumes a tenant left in `provisioning`.
 */
export async function createTenant(db: DbManager, args: CreateTenantArgs) {
  const password = args.ownerPassword ?? randomBytes(12).toString('base64url');
  const input = Object.assign(new CreateTenantInput(), {
    name: args.name,
    slug: args.slug,
    plan: args.plan,
    domain: args.domain,
    owner: Object.assign(new OwnerInput(), { email: args.ownerEmail, name: args.ownerName ?? 'Owner', password }),
  });
  const problems = validationMessages(await validate(input, { forbidUnknownValues: false }));
  if (problems.length) throw usage(`Invalid tenant: ${problems.join('; ')}`);
  const cluster = args.cluster ?? DEFAULT_CLUSTER;
  if (!db.clusterNames().includes(cluster)) throw usage(`Unknown cluster "${cluster}"; known: ${db.clusterNames().join(', ')} (MONGODB_CLUSTERS)`);

  const Registry = tenantRegistry(db.platform());
  let record = await Registry.findOne({ slug: input.slug }).lean<TenantRecord>();
  if (record && record.status !== 'provisioning') throw new CliError(`A tenant with slug "${input.slug}" already exists`);
  if (!record) {
    const plan = input.plan ?? 'free';
    try {
      record = (
        await Registry.create({
          name: input.name,
          slug: input.slug,
          domain: input.domain,
          plan,
          limits: planLimits(plan),
          branding: { displayName: input.name },
          status: 'provisioning',
          dbName: db.tenantDbName(input.slug, cluster),
          cluster,
        })
      ).toObject() as TenantRecord;
    } catch (err) {
      if (isDuplicateKey(err)) throw new CliError('A tenant with this slug or domain already exists');
      throw err;
    }
  }
  const conn = db.tenant(record.dbName);
  await provisionAllSubgraphs(conn);
  const Users = userModel(conn);
  const email = input.owner.email.toLowerCase().trim();
  if (!(await Users.exists({ email }))) {
    await Users.create({ email, name: input.owner.name, role: 'owner', passwordHash: await hashPassword(password) });
  }
  const active = await Registry.findByIdAndUpdate(record._id, { $set: { status: 'active' } }, { returnDocument: 'after' }).lean<TenantRecord>();
  return { tenant: tenantView(active!), owner: { email, password: args.ownerPassword ? undefined : password } };
}

export async function listTenants(db: DbManager, filter: { status?: TenantStatus } = {}) {
  const query = filter.status ? { status: filter.status } : {};
  const docs = await tenantRegistry(db.platform()).find(query).sort({ slug: 1 }).lean<TenantRecord[]>();
  return docs.map(tenantView);
}

export async function findBySlug(db: DbManager, slug: string): Promise<TenantRecord> {
  const t = await tenantRegistry(db.platform()).findOne({ slug }).lean<TenantRecord>();
  if (!t) throw new CliError(`No tenant with slug "${slug}"`);
  return t;
}

/** suspend: active → suspended; reactivate: suspended → active. One winner per step, as through the API. */
export async function setStatus(db: DbManager, io: Io, slug: string, to: 'active' | 'suspended') {
  const existing = await findBySlug(db, slug);
  try {
    const { doc, changed } = await changeTenantStatus(db.platform(), existing._id, to);
    if (changed) await announce(io, topics.tenantStatus, { tenantId: doc._id.toHexString(), status: to });
    return { tenant: tenantView(doc), changed };
  } catch (err) {
    if (err instanceof TenantStatusRefused) throw new CliError(`Tenant "${slug}" is ${err.current}, not ${to === 'suspended' ? 'active' : 'suspended'}`);
    throw err;
  }
}

/**
 * Tells the running services about a registry change (the gateway closes a suspended
 * tenant's subscriptions, subgraphs drop cached entries); only reachable over Redis.
 */
export async function announce<P extends object>(io: Io, topic: Topic<P>, payload: P) {
  const redisUrl = loadConfig('gateway', io.env).redisUrl;
  if (!redisUrl) return;
  const pubsub = createPubSub(redisUrl);
  try {
    await pubsub.publish(topic, payload);
  } finally {
    await pubsub.close();
  }
}
