import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { TenantContext } from './context';
import { isPlatformRole } from '../../core/permissions/catalog';
import { toTenant } from './tenant.service';
import { Tenant } from './tenant.type';
import { CreatePlatformUserInput, CreateUserInput, UpdateUserInput } from './user.input';
import { createPlatformUser, createUser, disableUser, listUsers, updateUser, viewer } from './user.service';
import { User, Viewer } from './user.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who the access token belongs to.' })
  me(@Ctx() ctx: TenantContext): Promise<Viewer> {
    return viewer(ctx);
  }

  @FieldResolver(() => Tenant, { nullable: true })
  async tenant(@Root() _viewer: Viewer, @Ctx() ctx: TenantContext) {
    return isPlatformRole(ctx.auth!.role) ? null : toTenant(await ctx.tenant());
  }
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], { description: "Staff of the caller's tenant." })
  users(@Ctx() ctx: TenantContext) {
    return listUsers(ctx);
  }

  @Mutation(() => User, { description: 'Adds a staff member (plan limit maxStaff).' })
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: TenantContext) {
    return createUser(ctx, input);
  }

  @Mutation(() => User, { description: "Changes a staff member's name, role, status or permission overrides." })
  updateUser(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: TenantContext) {
    return updateUser(ctx, id, input);
  }

  @Mutation(() => User, { description: 'Disables a staff member and ends their sessions.' })
  disableUser(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return disableUser(ctx, id);
  }

  @Mutation(() => User, { description: 'Creates a platform user (super_admin only).' })
  createPlatformUser(@Arg('input', () => CreatePlatformUserInput) input: CreatePlatformUserInput, @Ctx() ctx: TenantContext) {
    return createPlatformUser(ctx, input);
  }
}
