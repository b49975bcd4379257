import { IsEmail, IsOptional, Length, Matches } from 'class-validator';
import { ArgsType, Field, InputType } from 'type-graphql';
import { DiffersFrom } from '../../core/validation/compare';
import { ExactlyOneOf } from '../../core/validation/one-of';
import { IsPassword } from './password.input';

const SLUG = /^[a-z0-9-]{1,30}$/;
const TENANT_DESCRIPTION = 'Tenant slug; defaults to the x-tenant header or the host. Omit for platform users.';

@InputType()
export class ChangePasswordInput {
  @Field(() => String) @Length(1, 200) currentPassword: string;
  @Field(() => String, { description: '10 to 200 characters, not the current one.' })
  @IsPassword()
  @DiffersFrom('currentPassword', { message: 'must differ from the current password' })
  newPassword: string;
}

@InputType()
export class RequestPasswordResetInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String, { nullable: true, description: TENANT_DESCRIPTION })
  @IsOptional()
  @Matches(SLUG, { message: 'must be a tenant slug' })
  tenant?: string;
}

@InputType()
export class ResetPasswordInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String, { nullable: true, description: TENANT_DESCRIPTION })
  @IsOptional()
  @Matches(SLUG, { message: 'must be a tenant slug' })
  tenant?: string;
  @Field(() => String, { description: 'The 6-digit code from the email.' }) @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
  @Field(() => String, { description: '10 to 200 characters.' }) @IsPassword() newPassword: string;
}

@InputType({ description: 'Give exactly one of code and recoveryCode.' })
export class LoginWithTotpInput {
  @Field(() => String, { description: 'The mfaToken login answered with.' }) @Length(1, 2000) mfaToken: string;
  @Field(() => String, { nullable: true, description: 'The 6-digit code of the authenticator app.' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;
  @Field(() => String, { nullable: true, description: 'One of the recovery codes (each works once).' })
  @IsOptional()
  @Length(10, 20)
  recoveryCode?: string;
  // A marker outside the GraphQL type: the rule across both fields runs even when both are absent (core/validation/one-of.ts).
  @ExactlyOneOf(['code', 'recoveryCode'], { path: 'input.code' }) readonly secondFactor = true;
}

const TOTP_CODE = /^\d{6}$/;
const SIX_DIGITS = { message: 'must be 6 digits' };
/** A login challenge is a short signed token; anything else is refused before it is verified. */
const CHALLENGE = { message: 'is not a login challenge' };
const RECOVERY = { message: 'is not a recovery code' };

@ArgsType()
export class EnrollTotpArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 2000, CHALLENGE) mfaToken?: string | null;
}

@ArgsType()
export class ConfirmTotpArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 2000, CHALLENGE) mfaToken?: string | null;
  @Field(() => String) @Matches(TOTP_CODE, SIX_DIGITS) code: string;
}

/** Exactly one of the two. */
@ArgsType()
export class DisableTotpArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(10, 20, RECOVERY) recoveryCode?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(TOTP_CODE, SIX_DIGITS) code?: string | null;
  @ExactlyOneOf(['code', 'recoveryCode'], { path: 'code' }) readonly secondFactor = true;
}

@ArgsType()
export class TotpCodeArgs {
  @Field(() => String) @Matches(TOTP_CODE, SIX_DIGITS) code: string;
}
