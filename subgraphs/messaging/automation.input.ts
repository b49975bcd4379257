import { IsBoolean, IsEnum, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { AtLeastOneOf } from '../../core/validation/one-of';
import { Channel } from './channel.type';

@InputType({ description: "Replaces one automation's settings." })
export class AutomationRuleInput {
  @Field(() => Boolean) @IsBoolean() enabled: boolean;
  @Field(() => Channel, { nullable: true, description: 'Null = automatic; with a template, its channel.' })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel | null;
  @Field(() => ID, { nullable: true, description: 'An APPROVED template whose placeholders the automation fills.' })
  @IsOptional()
  templateId?: string | null;
}

@InputType()
export class DuesReminderRuleInput extends AutomationRuleInput {
  @Field(() => Int, { description: '1..365' }) @IsInt() @Min(1) @Max(365) afterDays: number;
  @Field(() => Int, { description: '0..90; 0 = once per unpaid period.' }) @IsInt() @Min(0) @Max(90) repeatEveryDays: number;
}

@InputType({ description: 'Give only the automations to change; each one given is replaced whole.' })
export class UpdateAutomationSettingsInput {
  @Field(() => AutomationRuleInput, { nullable: true }) @IsOptional() @ValidateNested() welcome?: AutomationRuleInput | null;
  @Field(() => AutomationRuleInput, { nullable: true }) @IsOptional() @ValidateNested() receipt?: AutomationRuleInput | null;
  @Field(() => DuesReminderRuleInput, { nullable: true }) @IsOptional() @ValidateNested() duesReminder?: DuesReminderRuleInput | null;
  @Field(() => Boolean, { nullable: true, description: 'false: no monthly reports e-mail (the documents stay downloadable).' })
  @IsOptional()
  @IsBoolean()
  monthlyReportEmail?: boolean | null;
  // A marker outside the GraphQL type: runs when every field is absent too (core/validation/one-of.ts).
  @AtLeastOneOf(['welcome', 'receipt', 'duesReminder', 'monthlyReportEmail'], {
    path: 'input',
    message: 'give at least one of welcome, receipt, duesReminder, monthlyReportEmail',
  })
  readonly changes = true;
}
