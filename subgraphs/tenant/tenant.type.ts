import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum TenantStatus {
  PROVISIONING = 'provisioning',
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
}
registerEnumType(TenantStatus, { name: 'TenantStatus' });

@ObjectType({ description: "What the tenant's plan allows." })
export class TenantLimits {
  @Field(() => Int) maxLibraries: number;
  @Field(() => Int) maxStudents: number;
  @Field(() => Int) maxStaff: number;
}

@ObjectType({ description: 'White-label branding shown on login pages.' })
export class Branding {
  @Field(() => String, { nullable: true, description: 'The name shown to users.' }) displayName?: string;
  @Field(() => String, { nullable: true }) primaryColor?: string;
  @Field(() => String, { nullable: true }) logoUrl?: string;
  @Field(() => String, { nullable: true }) faviconUrl?: string;
  @Field(() => String, { nullable: true }) secondaryColor?: string;
  @Field(() => String, { nullable: true }) fontFamily?: string;
  @Field(() => String, { nullable: true, description: 'Browser tab title.' }) pageTitle?: string;
}

@ObjectType({ description: 'Modules switched on for the tenant (plan defaults plus its own switches).' })
export class TenantModules {
  @Field(() => Boolean) attendance: boolean;
  @Field(() => Boolean) payments: boolean;
  @Field(() => Boolean) messaging: boolean;
  @Field(() => Boolean) bookings: boolean;
  @Field(() => Boolean) analytics: boolean;
}

@ObjectType({ description: 'What an anonymous login page may know about the tenant of a host name.' })
export class TenantBrandingInfo {
  @Field(() => String) displayName: string;
  @Field(() => Branding) branding: Branding;
  @Field(() => TenantModules) modules: TenantModules;
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
  @Field(() => TenantModules) modules: TenantModules;
  @Field(() => Date) createdAt: Date;
}
