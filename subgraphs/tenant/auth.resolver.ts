import { Arg, Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { TenantContext } from './context';
import { LoginInput, RefreshTokenArgs } from './auth.input';
import { login, revokeRefreshToken, rotateRefreshToken } from './auth.service';
import { AuthPayload } from './auth.type';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Email + password login; tenant users name their tenant.' })
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: TenantContext) {
    return login(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for a new pair (rotation).' })
  refreshToken(@Args() { token }: RefreshTokenArgs, @Ctx() ctx: TenantContext) {
    return rotateRefreshToken(ctx, token);
  }

  @Mutation(() => Boolean, { description: 'Revokes the refresh token and every token of its login.' })
  logout(@Args() { token }: RefreshTokenArgs, @Ctx() ctx: TenantContext) {
    return revokeRefreshToken(ctx, token);
  }
}
