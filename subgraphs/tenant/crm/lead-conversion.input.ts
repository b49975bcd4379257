import { IsEmail, IsIn, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PLAN_NAMES } from '../../../core/tenancy/plans';
import { IsPassword } from '../password.input';
import { TENANT_SLUG, TENANT_SLUG_MESSAGE } from '../tenant.input';

/** What the new tenant takes that the lead does not say; everything else is prefilled from the lead. */
@InputType()
export class ConvertLeadInput {
  @Field(() => String, { description: "The owner's first password (the owner is the lead's contact unless named below)." })
  @IsPassword()
  ownerPassword: string;
  @Field(() => String, { nullable: true, description: 'free by default.' }) @IsOptional() @IsIn(PLAN_NAMES) plan?: string | null;
  @Field(() => String, { nullable: true, description: "Derived from the business name and the lead's id when omitted (the same on every retry)." })
  @IsOptional()
  @Matches(TENANT_SLUG, TENANT_SLUG_MESSAGE)
  slug?: string | null;
  @Field(() => String, { nullable: true, description: "The lead's business name when omitted." }) @IsOptional() @Length(2, 100) name?: string | null;
  @Field(() => String, { nullable: true, description: "The lead's e-mail when omitted (required if the lead has none)." })
  @IsOptional()
  @IsEmail()
  @Length(3, 200)
  ownerEmail?: string | null;
  @Field(() => String, { nullable: true, description: "The lead's contact name when omitted." }) @IsOptional() @Length(1, 100) ownerName?: string | null;
}
