import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Channel } from './channel.type';

@ObjectType({ description: 'One automated message: on or off, its channel and template.' })
export class AutomationRule {
  @Field(() => Boolean) enabled: boolean;
  @Field(() => Channel, {
    nullable: true,
    description:
      'Null = automatic: the first of SMS, WhatsApp, email the tenant has credits for and the student has a contact for (SMS only with a template on a DLT route).',
  })
  channel?: Channel | null;
  @Field(() => ID, { nullable: true, description: 'Approved template to use; null = the built-in text.' })
  templateId?: string | null;
}

@ObjectType({ description: "Fee reminders to students who owe money (billing's dues ledger) overdue by more than afterDays." })
export class DuesReminderRule extends AutomationRule {
  @Field(() => Int, { description: 'Days past the due date of the oldest unpaid charge after which a student is reminded.' }) afterDays: number;
  @Field(() => Int, { description: 'Remind again every this many days while still due; 0 = once per unpaid period.' }) repeatEveryDays: number;
}

@ObjectType({ description: 'Which messages the tenant sends on its own (welcome, payment receipt, dues reminder).' })
export class AutomationSettings {
  @Field(() => AutomationRule, { description: 'Sent once when a student is created.' }) welcome: AutomationRule;
  @Field(() => AutomationRule, { description: 'Sent once per recorded payment.' }) receipt: AutomationRule;
  @Field(() => DuesReminderRule) duesReminder: DuesReminderRule;
  @Field(() => Boolean, {
    description: "Last month's reports (registers, attendance sheets, credit statement) e-mailed to the owners early each month; default on.",
  })
  monthlyReportEmail: boolean;
  @Field(() => Date, { nullable: true, description: 'Null while the defaults apply.' }) updatedAt?: Date | null;
}

@ObjectType({ description: 'Outcome of one dues-reminder run.' })
export class DuesReminderReport {
  @Field(() => Int, { description: 'Due students considered (at most 500 per run, longest overdue first).' }) considered: number;
  @Field(() => Int) sent: number;
  @Field(() => Int, { description: 'Already reminded for this period, inactive, or without a contact for the channel.' }) skipped: number;
  @Field(() => Int, { description: 'Recorded FAILED (e.g. INSUFFICIENT_BALANCE); nothing debited.' }) failed: number;
}
