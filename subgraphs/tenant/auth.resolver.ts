import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { TenantContext } from './context';
import { badInput } from '../../core/errors';
import { LoginInput } from './auth.input';
import { login, revokeRefreshToken, rotateRefreshToken } from './auth.service';
import { AuthPayload } from './auth.type';

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Email + password login; tenant users name their tenant.' })
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: TenantContext) {
    return login(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for a new pair (rotation).' })
  refreshToken(@Arg('token', () => String) token: string, @Ctx() ctx: TenantContext) {
    return rotateRefreshToken(ctx, check(token));
  }

  @Mutation(() => Boolean, { description: 'Revokes the refresh token and every token of its login.' })
  logout(@Arg('token', () => String) token: string, @Ctx() ctx: TenantContext) {
    return revokeRefreshToken(ctx, check(token));
  }
}

function check(token: string): string {
  if (token.length > 200) throw badInput('token', 'is too long');
  return token;
}
