import { trusted } from 'mongoose';
import { noteBefore } from '../../core/server/audit-plugin';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { can, isPlatformRole, type Permission } from '../../core/permissions/catalog';
import { hashPassword, revokeUserSessions } from './auth.service';
import { libraryModel } from './library.model';
import type { CreatePlatformUserInput, UpdateUserInput } from './user.input';
import { platformUserModel, SCOPED_ROLES, toUser, userModel, type UserDoc } from './user.model';
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
export async function updateUser(ctx: RequestContext, id: string, input: UpdateUserInput) {
  const _id = parseId(id, 'id');
  const auth = ctx.auth!;
  const Users = userModel(await ctx.tenantDb());
  const target = await Users.findById(_id).lean<UserDoc>();
  if (!target) throw notFound('User');
  const self = !isPlatformRole(auth.role) && auth.sub === id;
  const privileged = isPlatformRole(auth.role) || auth.role === 'owner';
  if (self && (input.role || input.status || input.grant || input.revoke || input.libraryIds)) throw badInput('id', 'you cannot change your own role, status or permissions');
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
export async function checkLibraryIds(ctx: RequestContext, ids: string[], role: string): Promise<string[]> {
  const auth = ctx.auth!;
  if (!isPlatformRole(auth.role) && auth.role !== 'owner') throw refuse('Only an owner may assign libraries');
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length === 0) return [];
  if (!SCOPED_ROLES.includes(role)) throw badInput('input.libraryIds', 'only managers and staff are assigned to libraries; owners see every library');
  const found = await libraryModel(await ctx.tenantDb()).countDocuments({ _id: trusted({ $in: unique.map((id) => parseId(id, 'input.libraryIds')) }) });
  if (found !== unique.length) throw badInput('input.libraryIds', 'every id must be a library of this tenant');
  return unique;
}

export const disableUser = (ctx: RequestContext, id: string) => updateUser(ctx, id, { status: 'disabled' });

async function revokeSessions(ctx: RequestContext, userId: string) {
  await revokeUserSessions(ctx, userId, (await ctx.tenant())._id.toHexString());
}

/** A platform user (super_admin only, by the catalog). */
export async function createPlatformUser(ctx: RequestContext, input: CreatePlatformUserInput) {
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
