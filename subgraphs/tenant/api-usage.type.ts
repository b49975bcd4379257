import { Field, ID, Int, ObjectType } from 'type-graphql';

/** Fields shared by the daily reports (not a GraphQL type of its own). */
@ObjectType()
export abstract class UsageCounts {
  @Field(() => Int) requests: number;
  @Field(() => Int, { description: 'Answered with HTTP 2xx.' }) status2xx: number;
  @Field(() => Int, { description: 'Answered with HTTP 4xx (refused, rate limited, invalid).' }) status4xx: number;
  @Field(() => Int, { description: 'Answered with HTTP 5xx.' }) status5xx: number;
  @Field(() => Int, { description: 'Requests whose answer carried at least one GraphQL error.' }) withErrors: number;
  @Field(() => Int, { description: 'Sum of the requests’ latencies (ms): with `requests`, the mean.' }) totalLatencyMs: number;
  @Field(() => Int) maxLatencyMs: number;
  @Field(() => Int) avgLatencyMs: number;
  @Field(() => Int) requestBytes: number;
  @Field(() => Int) responseBytes: number;
}

@ObjectType({ description: 'Partner requests of one key and operation on one day (tenant-local, Asia/Kolkata).' })
export class ApiKeyUsageDay extends UsageCounts {
  @Field(() => ID) keyId: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) day: string;
  @Field(() => String, { nullable: true }) operationName?: string | null;
}

@ObjectType({ description: 'Platform: partner requests of one tenant on one day (tenant-local).' })
export class TenantApiUsageDay extends UsageCounts {
  @Field(() => ID) tenantId: string;
  @Field(() => String) tenantSlug: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) day: string;
}
