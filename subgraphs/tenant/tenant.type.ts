import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum TenantStatus {
  PROVISIONING = 'provisioning',
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
}
registerEnumType(TenantStatus, { name: 'TenantStatus' });

@ObjectType({ description: 'What the tenant\'s plan allows.' })
export class TenantLimits {
  @Field(() => Int) maxLibraries: number;
  @Field(() => Int) maxStudents: number;
  @Field(() => Int) maxStaff: number;
}

@ObjectType({ description: 'White-label branding shown on login pages.' })
export class Branding {
  @Field(() => String, { nullable: true }) displayName?: string;
  @Field(() => String, { nullable: true }) primaryColor?: string;
  @Field(() => String, { nullable: true }) logoUrl?: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A customer business with its own database.' })
export class Tenant {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String) slug: string;
  @Field(() => String, { nullable: true }) domain?: string;
  @Field(() => TenantStatus) status: TenantStatus;
  @Field(() => String) plan: string;
  @Field(() => TenantLimits) limits: TenantLimits;
  @Field(() => Branding) branding: Branding;
  @Field(() => Date) createdAt: Date;
}
