import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsDate, IsIn, IsInt, IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { PAGE_MAX, PageArgs, PageSize } from '../../core/pagination';
import { IsInFuture } from '../../core/validation/future';
import { PARTNER_SCOPES } from '../../core/permissions/catalog';

@InputType()
export class CreateApiKeyInput {
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => [String], { description: 'Any of libraries:read, students:list, attendance:read, attendance:write.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsIn(PARTNER_SCOPES, { each: true })
  scopes: string[];
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() @IsInFuture({ path: 'input.expiresAt' }) expiresAt?: Date;
  @Field(() => Int, { nullable: true, defaultValue: 60 }) @IsInt() @Min(1) @Max(6000) rateLimitPerMinute: number;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Only operations registered for the tenant (trusted documents) run with this key.',
  })
  @IsOptional()
  @IsBoolean()
  trustedDocumentsOnly?: boolean;
}

export const API_KEY_USAGE_PAGE = 100;

@ArgsType()
export class ApiKeyUsageArgs extends PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: API_KEY_USAGE_PAGE, description: `1..${PAGE_MAX}` })
  @PageSize()
  declare first?: number | null;
  @Field(() => String, { nullable: true, description: 'The `cursor` of the last entry of the previous page.' })
  @IsOptional()
  @MaxLength(100)
  after?: string | null;
}

/** What the gateway sends: the partner's key and the operation's name (cut to 100 characters for the usage log). */
@ArgsType()
export class ExchangeApiKeyArgs {
  @Field(() => String, { nullable: true }) operationName?: string | null;
  @Field(() => String) @MaxLength(200, { message: 'is too long' }) key: string;
}
