import { ArrayMaxSize, IsEmail, IsIn, IsMongoId, IsOptional, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IsPassword } from './password.input';
import { PLATFORM_ROLES, TENANT_PERMISSIONS, TENANT_ROLES } from '../../core/permissions/catalog';

@InputType()
export class CreateUserInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @IsPassword() password: string;
  @Field(() => String, { description: 'owner, manager or staff' }) @IsIn(TENANT_ROLES) role: string;
  @Field(() => [ID], {
    nullable: true,
    description: 'Managers and staff only: the libraries they may see and change (owners only set this). Omitted or empty: every library.',
  })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsMongoId({ each: true, message: 'each must be a library id' })
  libraryIds?: string[];
}

export const USER_STATUSES = ['active', 'disabled'];

@InputType({ description: "Fields to change; omitted ones stay. grant/revoke replace the user's overrides." })
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) name?: string;
  @Field(() => String, { nullable: true, description: 'owner, manager or staff' }) @IsOptional() @IsIn(TENANT_ROLES) role?: string;
  @Field(() => String, { nullable: true, description: 'active or disabled' }) @IsOptional() @IsIn(USER_STATUSES) status?: string;
  @Field(() => [String], { nullable: true, description: 'Tenant permissions added to the role.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsIn(TENANT_PERMISSIONS, { each: true, message: 'each must be a tenant permission' })
  grant?: string[];
  @Field(() => [String], { nullable: true, description: 'Permissions taken from the role.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsIn(TENANT_PERMISSIONS, { each: true, message: 'each must be a tenant permission' })
  revoke?: string[];
  @Field(() => [ID], {
    nullable: true,
    description: "Replaces the branch scope (owners only); empty: every library. Applies at the user's next token refresh.",
  })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsMongoId({ each: true, message: 'each must be a library id' })
  libraryIds?: string[];
}

@InputType()
export class CreatePlatformUserInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @IsPassword() password: string;
  @Field(() => String, { description: 'super_admin, admin or support' }) @IsIn(PLATFORM_ROLES) role: string;
}
