import { trusted, Types } from 'mongoose';
import { noteBefore } from '../../core/server/audit-plugin';
import type { TenantContext } from './context';
import { AppError, badInput, conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { can, effectivePermissions, isPlatformRole, type Permission } from '../../core/permissions/catalog';
import { claimSlot, releaseSlot } from '../../core/tenancy/quota';
import { hashPassword, revokeUserSessions, SCOPED_ROLES } from './auth.service';
import { libraryModel } from './library.model';
import type { CreatePlatformUserInput, CreateUserInput, UpdateUserInput } from './user.input';
import type { Viewer } from './user.type';
import { platformUserModel, userModel, type UserDoc } from './user.model';
import { isDuplicateKey } from '../../core/store/duplicate-key';

const refuse = (message: string) => new AppError('FORBIDDEN', message);

/**
 * Staff changes by an owner (or platform admin via x-tenant; or anyone granted
 * users:update). Guard rails: nobody changes their own role, status or
 * overrides; only owners and platform users touch owners or make owners; a
 * caller can only grant permissions it has itself. Role, status and override
 * changes reach the user's access token at its next refresh (refresh re-reads
 * the user); disabling also revokes every refresh token at once.
 */
export async function updateUser(ctx: TenantContext, id: string, input: UpdateUserInput) {
  const _id = parseId(id, 'id');
  const auth = ctx.auth!;
  const Users = userModel(await ctx.tenantDb());
  const target = await Users.findById(_id).lean<UserDoc>();
  if (!target) throw notFound('User');
  const self = !isPlatformRole(auth.role) && auth.sub === id;
  const privileged = isPlatformRole(auth.role) || auth.role === 'owner';
  if (self && (input.role || input.status || input.grant || input.revoke || input.libraryIds))
    throw badInput('id', 'you cannot change your own role, status or permissions');
  if (!privileged && (target.role === 'owner' || input.role === 'owner')) throw refuse('Only an owner may change owners');
  for (const p of input.grant ?? []) if (!can(auth, p as Permission)) throw refuse(`You cannot grant ${p}: you do not have it`);
  const set: Record<string, unknown> = {};
  for (const k of ['name', 'role', 'status'] as const) if (input[k] != null) set[k] = input[k];
  if (input.grant) set.grant = [...new Set(input.grant)];
  if (input.revoke) set.revoke = [...new Set(input.revoke)];
  if (input.libraryIds) set.libraryIds = await checkLibraryIds(ctx, input.libraryIds, input.role ?? target.role);
  // An owner is never branch-scoped: making one drops the assignment.
  else if (input.role === 'owner' && target.libraryIds?.length) set.libraryIds = [];
  noteBefore(ctx, id, target, Object.keys(set));
  const doc = await Users.findOneAndUpdate({ _id }, { $set: set }, { returnDocument: 'after' }).lean<UserDoc>();
  if (!doc) throw notFound('User');
  if (set.status === 'disabled') await revokeSessions(ctx, id);
  return toUser(doc);
}

/**
 * A branch assignment, checked: set by owners (or platform staff) only, on managers
 * and staff only, naming libraries of the tenant. Returns the ids, deduplicated.
 * Empty = every library.
 */
export async function checkLibraryIds(ctx: TenantContext, ids: string[], role: string): Promise<string[]> {
  const auth = ctx.auth!;
  if (!isPlatformRole(auth.role) && auth.role !== 'owner') throw refuse('Only an owner may assign libraries');
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length === 0) return [];
  if (!SCOPED_ROLES.includes(role)) throw badInput('input.libraryIds', 'only managers and staff are assigned to libraries; owners see every library');
  const found = await libraryModel(await ctx.tenantDb()).countDocuments({ _id: trusted({ $in: unique.map((id) => parseId(id, 'input.libraryIds')) }) });
  if (found !== unique.length) throw badInput('input.libraryIds', 'every id must be a library of this tenant');
  return unique;
}

export const disableUser = (ctx: TenantContext, id: string) => updateUser(ctx, id, { status: 'disabled' });

async function revokeSessions(ctx: TenantContext, userId: string) {
  await revokeUserSessions(ctx, userId, (await ctx.tenant())._id.toHexString());
}

/** A platform user (super_admin only, by the catalog). */
export async function createPlatformUser(ctx: TenantContext, input: CreatePlatformUserInput) {
  const Users = platformUserModel(ctx.db.platform());
  const email = input.email.toLowerCase().trim();
  try {
    const doc = await Users.create({ email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
    return toUser(doc.toObject());
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('A platform user with this email already exists', 'email');
    throw err;
  }
}

/** Who the access token belongs to; partner tokens name a key, not a user (user null). */
export async function viewer(ctx: TenantContext): Promise<Viewer> {
  const auth = ctx.auth!;
  const platform = isPlatformRole(auth.role);
  const conn = platform ? ctx.db.platform() : await ctx.tenantDb();
  const users = platform ? platformUserModel(conn) : userModel(conn);
  const doc = Types.ObjectId.isValid(auth.sub) ? await users.findById(auth.sub).lean<UserDoc>() : null;
  return { role: auth.role, permissions: effectivePermissions(auth), user: doc ? toUser(doc) : null };
}

/** Staff of the caller's tenant by name, at most 1000. */
export async function listUsers(ctx: TenantContext) {
  const docs = await userModel(await ctx.tenantDb())
    .find()
    .sort({ name: 1 })
    .limit(1000)
    .lean<UserDoc[]>();
  return docs.map(toUser);
}

/** Adds a staff member within the plan's maxStaff (a quota slot, released if the insert fails). */
export async function createUser(ctx: TenantContext, input: CreateUserInput) {
  const tenant = await ctx.tenant();
  const conn = await ctx.tenantDb();
  const Users = userModel(conn);
  const email = input.email.toLowerCase().trim();
  if (await Users.exists({ email })) throw conflict('A user with this email already exists', 'email');
  const libraryIds = input.libraryIds ? await checkLibraryIds(ctx, input.libraryIds, input.role) : [];
  const slot = await claimSlot(conn, 'tenant_quotas', 'staff', tenant.limits.maxStaff, () => Users.countDocuments());
  try {
    const doc = await Users.create({ email, name: input.name, role: input.role, libraryIds, passwordHash: await hashPassword(input.password) });
    return toUser(doc.toObject());
  } catch (err) {
    await releaseSlot(conn, 'tenant_quotas', slot);
    if (isDuplicateKey(err)) throw conflict('A user with this email already exists', 'email');
    throw err;
  }
}

export const toUser = (d: UserDoc) => ({
  id: d._id.toHexString(),
  email: d.email,
  name: d.name,
  role: d.role,
  status: d.status,
  grant: d.grant ?? [],
  revoke: d.revoke ?? [],
  libraryIds: d.libraryIds ?? [],
  createdAt: d.createdAt,
});
