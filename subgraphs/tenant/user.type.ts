import { Field, ID, ObjectType } from 'type-graphql';
import { Tenant } from './tenant.type';

@ObjectType({ description: 'A staff member of a tenant, or a platform user.' })
export class User {
  @Field(() => ID) id: string;
  @Field(() => String) email: string;
  @Field(() => String) name: string;
  @Field(() => String, { description: 'owner, manager, staff (tenant) or super_admin, admin, support (platform).' })
  role: string;
  @Field(() => String, { description: 'active or disabled.' }) status: string;
  @Field(() => [String], { description: 'Permissions granted on top of the role.' }) grant: string[];
  @Field(() => [String], { description: 'Permissions taken away from the role.' }) revoke: string[];
  @Field(() => [ID], { description: 'Libraries a manager or staff member is limited to (branch scope); empty: every library.' })
  libraryIds: string[];
  @Field(() => Date) createdAt: Date;
}

@ObjectType({ description: 'The authenticated caller.' })
export class Viewer {
  @Field(() => String) role: string;
  @Field(() => [String], { description: "Permissions of the role, with the user's overrides applied." }) permissions: string[];
  @Field(() => User, { nullable: true }) user?: User | null;
  @Field(() => Tenant, { nullable: true, description: 'Null for platform users.' }) tenant?: Tenant | null;
}
