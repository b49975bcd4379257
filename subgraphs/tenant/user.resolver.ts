import { Types } from 'mongoose';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { conflict } from '../../core/errors';
import { effectivePermissions, isPlatformRole } from '../../core/permissions/catalog';
import { claimSlot, releaseSlot } from '../../core/tenancy/quota';
import { hashPassword } from './auth.service';
import { toTenant } from './tenant.service';
import { Tenant } from './tenant.type';
import { CreatePlatformUserInput, CreateUserInput, UpdateUserInput } from './user.input';
import { checkLibraryIds, createPlatformUser, disableUser, updateUser } from './user.service';
import { platformUserModel, toUser, userModel, type UserDoc } from './user.model';
import { User, Viewer } from './user.type';
import { isDuplicateKey } from '../../core/store/duplicate-key';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who the access token belongs to.' })
  async me(@Ctx() ctx: RequestContext): Promise<Viewer> {
    const auth = ctx.auth!;
    const platform = isPlatformRole(auth.role);
    const conn = platform ? ctx.db.platform() : await ctx.tenantDb();
    const users = platform ? platformUserModel(conn) : userModel(conn);
    // Partner tokens name a key, not a user.
    const doc = Types.ObjectId.isValid(auth.sub) ? await users.findById(auth.sub).lean<UserDoc>() : null;
    return { role: auth.role, permissions: effectivePermissions(auth), user: doc ? toUser(doc) : null };
  }

  @FieldResolver(() => Tenant, { nullable: true })
  async tenant(@Root() _viewer: Viewer, @Ctx() ctx: RequestContext) {
    return isPlatformRole(ctx.auth!.role) ? null : toTenant(await ctx.tenant());
  }
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], { description: 'Staff of the caller\'s tenant.' })
  async users(@Ctx() ctx: RequestContext) {
    const docs = await userModel(await ctx.tenantDb()).find().sort({ name: 1 }).limit(1000).lean<UserDoc[]>();
    return docs.map(toUser);
  }

  @Mutation(() => User, { description: 'Adds a staff member (plan limit maxStaff).' })
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: RequestContext) {
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

  @Mutation(() => User, { description: 'Changes a staff member\'s name, role, status or permission overrides.' })
  updateUser(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: RequestContext) {
    return updateUser(ctx, id, input);
  }

  @Mutation(() => User, { description: 'Disables a staff member and ends their sessions.' })
  disableUser(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return disableUser(ctx, id);
  }

  @Mutation(() => User, { description: 'Creates a platform user (super_admin only).' })
  createPlatformUser(@Arg('input', () => CreatePlatformUserInput) input: CreatePlatformUserInput, @Ctx() ctx: RequestContext) {
    return createPlatformUser(ctx, input);
  }
}
