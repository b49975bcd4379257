import { IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, InputType } from 'type-graphql';

@InputType()
export class LoginInput {
  @Field(() => String) @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 200) password: string;
  @Field(() => String, { nullable: true, description: 'Tenant slug; defaults to the x-tenant header or the host. Omit for platform users.' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,30}$/, { message: 'must be a tenant slug' })
  tenant?: string;
}

/** A refresh token (opaque, about 64 characters); longer ones are refused unread. */
@ArgsType()
export class RefreshTokenArgs {
  @Field(() => String) @MaxLength(200, { message: 'is too long' }) token: string;
}
