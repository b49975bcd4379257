import { ArrayMaxSize, IsIn } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { TENANT_ROLES } from '../../core/permissions/catalog';

@InputType()
export class TenantSecurityPolicyInput {
  @Field(() => [String], { description: 'e.g. ["owner", "manager"]; [] = TOTP optional for everyone.' })
  @ArrayMaxSize(3)
  @IsIn(TENANT_ROLES, { each: true, message: 'each must be owner, manager or staff' })
  totpRequiredRoles: string[];
}
