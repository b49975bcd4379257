import { Field, Float, Int, ObjectType } from 'type-graphql';
import { TenantStatus } from '../tenant.type';

@ObjectType({ description: 'Tenants in one status.' })
export class TenantStatusCount {
  @Field(() => TenantStatus) status: TenantStatus;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Tenants on one SaaS plan.' })
export class TenantPlanCount {
  @Field(() => String) plan: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Tenants registered in one month (IST).' })
export class TenantMonthCount {
  @Field(() => String, { description: 'YYYY-MM' }) month: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'The platform across all tenants (platform staff).' })
export class PlatformTotals {
  @Field(() => Int, { description: 'Every registered tenant.' }) tenants: number;
  @Field(() => [TenantStatusCount], { description: 'Every status, zeros included.' }) byStatus: TenantStatusCount[];
  @Field(() => [TenantPlanCount], { description: 'Every plan, zeros included.' }) byPlan: TenantPlanCount[];
  @Field(() => [TenantMonthCount], { description: 'New tenants per month, oldest first, the current month last (zeros included).' })
  newTenantsByMonth: TenantMonthCount[];
  @Field(() => Int, { description: 'Students of all tenants (snapshots).' }) students: number;
  @Field(() => Int, { description: 'ACTIVE students of all tenants (snapshots).' }) activeStudents: number;
  @Field(() => Float, { description: 'Paid fee revenue of all tenants, all time, in paise (an integer; Float because it outgrows 32 bits).' })
  revenueCollected: number;
  @Field(() => Int, { description: 'Tenants whose figures are in the snapshot sums.' }) snapshotTenants: number;
  @Field(() => Date, { nullable: true, description: 'The oldest snapshot summed: the figures are at least this fresh.' }) snapshotsAsOf?: Date | null;
}
