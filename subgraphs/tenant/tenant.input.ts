import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsPassword } from './password.input';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { PLAN_NAMES } from '../../core/tenancy/plans';

@InputType()
export class TenantLimitsInput {
  @Field(() => Int) @IsInt() @Min(0) @Max(1_000_000) maxLibraries: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(1_000_000) maxStudents: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(1_000_000) maxStaff: number;
}

const HEX = /^#[0-9a-fA-F]{6}$/;
const HTTPS = /^https:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/;
const hexMsg = { message: 'must be a hex colour like #1a2b3c' };
const httpsMsg = { message: 'must be an https URL' };

/** Branding fields; omitted ones are left as they are. */
@InputType()
export class BrandingInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) displayName?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HEX, hexMsg) primaryColor?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HEX, hexMsg) secondaryColor?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(12, 500) @Matches(HTTPS, httpsMsg) logoUrl?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(12, 500) @Matches(HTTPS, httpsMsg) faviconUrl?: string;
  @Field(() => String, { nullable: true, description: 'CSS font family, e.g. "Inter, sans-serif".' })
  @IsOptional()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9 ,'"-]+$/, { message: 'letters, digits, spaces, commas, quotes and dashes only' })
  fontFamily?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 120) pageTitle?: string;
}

/** Module switches; omitted ones are left as they are. */
@InputType()
export class TenantModulesInput {
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() attendance?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() payments?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() messaging?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() bookings?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() analytics?: boolean;
}

@InputType()
export class OwnerInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @IsPassword() password: string;
}

/** A tenant's slug (its database name and `<slug>.<domain>` host). */
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/;
export const TENANT_SLUG_MESSAGE = { message: 'lowercase letters, digits and dashes, 1-30 characters' };

@InputType()
export class CreateTenantInput {
  @Field(() => String) @Length(2, 100) name: string;
  @Field(() => String)
  @Matches(TENANT_SLUG, TENANT_SLUG_MESSAGE)
  slug: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^(?=.{3,200}$)([a-z0-9-]+\.)+[a-z]{2,}$/, { message: 'must be a host name like app.example.com' })
  domain?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsIn(PLAN_NAMES) plan?: string;
  @Field(() => TenantLimitsInput, { nullable: true, description: 'Overrides the plan limits.' })
  @IsOptional()
  @ValidateNested()
  limits?: TenantLimitsInput;
  @Field(() => BrandingInput, { nullable: true }) @IsOptional() @ValidateNested() branding?: BrandingInput;
  @Field(() => OwnerInput) @ValidateNested() owner: OwnerInput;
}

/** A host name is at most 253 characters (RFC 1035); the service checks the rest of its shape. */
@ArgsType()
export class BrandingHostArgs {
  @Field(() => String) @MaxLength(253, { message: 'is too long' }) host: string;
}
