import { ArrayMaxSize, ArrayMinSize, IsDate, IsIn, IsInt, IsMongoId, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IsDay } from '../../core/validation/calendar';
import { NotBefore } from '../../core/validation/order';

/** Longest range of a daily report (the aggregates are kept about this long: API_USAGE_DAILY_RETENTION_DAYS). */
export const USAGE_DAILY_MAX_DAYS = 400;
/** Entries per recordApiUsage call (the gateway's API_USAGE_BATCH_SIZE is capped to it). */
export const USAGE_BATCH_MAX = 500;

@InputType({ description: 'Narrows apiKeyUsage; every field is optional.' })
export class ApiKeyUsageFilter {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) operationName?: string;
  @Field(() => Int, { nullable: true, description: 'Exact HTTP status (200, 400, 429 …): only entries the gateway has recorded.' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  status?: number;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() from?: Date;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() @NotBefore('from') to?: Date;
}

@ArgsType()
export class ApiKeyUsageDailyArgs {
  @Field(() => ID, { nullable: true, description: 'One key; all keys of the tenant when absent.' }) @IsOptional() @IsMongoId() keyId?: string;
  @Field(() => String, { description: 'First day included, YYYY-MM-DD (tenant-local).' }) @IsDay() from: string;
  @Field(() => String, { description: `Last day included, YYYY-MM-DD; at most ${USAGE_DAILY_MAX_DAYS} days after from.` })
  @IsDay()
  @NotBefore('from')
  to: string;
}

@ArgsType()
export class TenantApiUsageArgs {
  @Field(() => String, { description: 'First day included, YYYY-MM-DD.' }) @IsDay() from: string;
  @Field(() => String, { description: `Last day included, YYYY-MM-DD; at most ${USAGE_DAILY_MAX_DAYS} days after from.` })
  @IsDay()
  @NotBefore('from')
  to: string;
}

@InputType({ description: 'Internal: one answered partner request, as the gateway measured it.' })
export class ApiUsageEntryInput {
  @Field(() => ID, { description: 'useId of the exchange (PartnerSession.useId).' }) @IsMongoId() useId: string;
  @Field(() => ID) @IsMongoId() tenantId: string;
  @Field(() => ID) @IsMongoId() keyId: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) operationName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsIn(['query', 'mutation', 'subscription']) operationType?: string | null;
  @Field(() => Int) @IsInt() @Min(100) @Max(599) status: number;
  @Field(() => [String]) @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(60, { each: true }) errorCodes: string[];
  @Field(() => Int) @IsInt() @Min(0) latencyMs: number;
  @Field(() => Int) @IsInt() @Min(0) requestBytes: number;
  @Field(() => Int) @IsInt() @Min(0) responseBytes: number;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64) requestId?: string | null;
  @Field(() => Date, { description: 'When the request arrived at the gateway.' }) @IsDate() at: Date;
}

@InputType()
export class RecordApiUsageInput {
  @Field(() => [ApiUsageEntryInput]) @ArrayMinSize(1) @ArrayMaxSize(USAGE_BATCH_MAX) @ValidateNested() entries: ApiUsageEntryInput[];
}
