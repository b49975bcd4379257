import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: "The tenant's account security rules." })
export class TenantSecurityPolicy {
  @Field(() => [String], {
    description: 'Roles that must use a TOTP second factor (owner, manager, staff). Such a user without TOTP can log in only to set it up.',
  })
  totpRequiredRoles: string[];
  @Field(() => Date, { nullable: true }) updatedAt?: Date | null;
}
