import { ArrayMaxSize, IsEmail, IsIn, IsOptional, Length } from 'class-validator';
import { IsPassword } from './password.policy';
import { Field, InputType } from 'type-graphql';
import { PLATFORM_ROLES, TENANT_PERMISSIONS, TENANT_ROLES } from '../../core/permissions/catalog';

@InputType()
export class CreateUserInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @IsPassword() password: string;
  @Field(() => String, { description: 'owner, manager or staff' }) @IsIn(TENANT_ROLES) role: string;
}

export const USER_STATUSES = ['active', 'disabled'];

@InputType({ description: 'Fields to change; omitted ones stay. grant/revoke replace the user\'s overrides.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) name?: string;
  @Field(() => String, { nullable: true, description: 'owner, manager or staff' }) @IsOptional() @IsIn(TENANT_ROLES) role?: string;
  @Field(() => String, { nullable: true, description: 'active or disabled' }) @IsOptional() @IsIn(USER_STATUSES) status?: string;
  @Field(() => [String], { nullable: true, description: 'Tenant permissions added to the role.' })
  @IsOptional() @ArrayMaxSize(50) @IsIn(TENANT_PERMISSIONS, { each: true, message: 'each must be a tenant permission' })
  grant?: string[];
  @Field(() => [String], { nullable: true, description: 'Permissions taken from the role.' })
  @IsOptional() @ArrayMaxSize(50) @IsIn(TENANT_PERMISSIONS, { each: true, message: 'each must be a tenant permission' })
  revoke?: string[];
}

@InputType()
export class CreatePlatformUserInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @IsPassword() password: string;
  @Field(() => String, { description: 'super_admin, admin or support' }) @IsIn(PLATFORM_ROLES) role: string;
}
