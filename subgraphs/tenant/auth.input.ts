import { IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class LoginInput {
  @Field(() => String) @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 200) password: string;
  @Field(() => String, { nullable: true, description: 'Tenant slug; defaults to the x-tenant header or the host. Omit for platform users.' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,30}$/, { message: 'must be a tenant slug' })
  tenant?: string;
}
