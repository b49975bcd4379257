import { IsEmail, IsIn, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { PLAN_NAMES } from './plans';

@InputType()
export class TenantLimitsInput {
  @Field(() => Int) @IsInt() @Min(0) @Max(1_000_000) maxLibraries: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(1_000_000) maxStudents: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(1_000_000) maxStaff: number;
}

@InputType()
export class BrandingInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) displayName?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'must be a hex colour like #1a2b3c' }) primaryColor?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^https:\/\/\S{1,500}$/, { message: 'must be an https URL' }) logoUrl?: string;
}

@InputType()
export class OwnerInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @Length(10, 200) password: string;
}

@InputType()
export class CreateTenantInput {
  @Field(() => String) @Length(2, 100) name: string;
  @Field(() => String)
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/, { message: 'lowercase letters, digits and dashes, 1-30 characters' })
  slug: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^(?=.{3,200}$)([a-z0-9-]+\.)+[a-z]{2,}$/, { message: 'must be a host name like app.example.com' })
  domain?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsIn(PLAN_NAMES) plan?: string;
  @Field(() => TenantLimitsInput, { nullable: true, description: 'Overrides the plan limits.' })
  @IsOptional() @ValidateNested() limits?: TenantLimitsInput;
  @Field(() => BrandingInput, { nullable: true }) @IsOptional() @ValidateNested() branding?: BrandingInput;
  @Field(() => OwnerInput) @ValidateNested() owner: OwnerInput;
}
