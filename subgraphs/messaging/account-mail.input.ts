import { IsEmail, IsIn, IsInt, Length, Matches, Max, Min } from 'class-validator';
import { Directive, Field, InputType, Int } from 'type-graphql';

export const ACCOUNT_MAIL_PURPOSES = ['password_reset'] as const;

/** Internal API input (hidden from the public supergraph): a one-time code for an account holder. */
@InputType()
@Directive('@inaccessible')
export class AccountCodeInput {
  @Field(() => String) @IsEmail() @Length(3, 200) to: string;
  @Field(() => String) @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
  @Field(() => String, { description: 'password_reset' }) @IsIn(ACCOUNT_MAIL_PURPOSES) purpose: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(1440) expiresInMinutes: number;
}
