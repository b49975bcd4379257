import { IsDate, IsEmail, IsIn, IsInt, IsOptional, IsUrl, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Directive, Field, InputType, Int } from 'type-graphql';
import { ExactlyOneOf } from '../../core/validation/one-of';

export const DUNNING_STEPS = ['ISSUED', 'OVERDUE', 'SUSPENDED'] as const;

/** A one-time password reset code for an account holder. */
@InputType()
@Directive('@inaccessible')
export class PasswordResetMailInput {
  @Field(() => String) @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(1440) expiresInMinutes: number;
}

/** A SaaS dunning reminder to a tenant owner: what is owed, by when, and the link that pays it without logging in. */
@InputType()
@Directive('@inaccessible')
export class SaasDunningMailInput {
  @Field(() => String, { description: 'ISSUED, OVERDUE or SUSPENDED' }) @IsIn(DUNNING_STEPS) step: string;
  @Field(() => String, { description: 'The tenant (account) name.' }) @Length(1, 200) accountName: string;
  @Field(() => String) @Length(1, 40) invoiceNumber: string;
  @Field(() => Int, { description: 'Paise.' }) @IsInt() @Min(1) amountDue: number;
  @Field(() => Date) @IsDate() dueAt: Date;
  @Field(() => Date) @IsDate() graceEndsAt: Date;
  @Field(() => String) @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @Length(1, 2000) payUrl: string;
}

/** A follow-up of the platform's sales desk fell due: a reminder to the platform user it is assigned to. */
@InputType()
@Directive('@inaccessible')
export class CrmTaskReminderMailInput {
  @Field(() => String) @Length(1, 100) assigneeName: string;
  @Field(() => String) @Length(1, 200) taskTitle: string;
  @Field(() => String, { description: "The lead's business name." }) @Length(1, 160) leadName: string;
  @Field(() => Date) @IsDate() dueAt: Date;
}

/**
 * Internal API input (hidden from the public supergraph): one platform e-mail to
 * one address — exactly one of the kinds is given.
 */
@InputType()
@Directive('@inaccessible')
export class PlatformMailInput {
  @Field(() => String) @IsEmail() @Length(3, 200) to: string;
  @Field(() => PasswordResetMailInput, { nullable: true }) @IsOptional() @ValidateNested() passwordReset?: PasswordResetMailInput;
  @Field(() => SaasDunningMailInput, { nullable: true }) @IsOptional() @ValidateNested() saasDunning?: SaasDunningMailInput;
  @Field(() => CrmTaskReminderMailInput, { nullable: true }) @IsOptional() @ValidateNested() crmTaskReminder?: CrmTaskReminderMailInput;
  // A marker outside the GraphQL type: runs when every field is absent too (core/validation/one-of.ts).
  @ExactlyOneOf(['passwordReset', 'saasDunning', 'crmTaskReminder'], {
    path: 'input',
    message: 'give exactly one of passwordReset, saasDunning, crmTaskReminder',
  })
  readonly kind = true;
}
