import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from './channel.type';

@ObjectType({ description: 'Credits sold to tenants in one month and channel, and what they earned (Asia/Kolkata months).' })
export class CreditProfitRow {
  @Field(() => String, { description: 'YYYY-MM' }) month: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => Int, { description: 'Allocations and packages, net of reversals.' }) creditsSold: number;
  @Field(() => Int, { description: "Tenant price: package price, or credits × the tenant's rate for allocations." }) revenuePaise: number;
  @Field(() => Int, { description: 'Vendor cost of those credits (moving weighted average cost).' }) costPaise: number;
  @Field(() => Int) marginPaise: number;
}

@ObjectType({ description: 'Message debits of one day and channel (Asia/Kolkata days).' })
export class CreditUsageRow {
  @Field(() => String, { description: 'YYYY-MM-DD' }) day: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => Int, { description: 'Number of message debits.' }) debits: number;
  @Field(() => Int, { description: 'Credits taken by those debits.' }) creditsUsed: number;
  @Field(() => Int, { description: 'Credits given back that day (failed sends).' }) creditsRefunded: number;
}

export enum SpendPeriod {
  DAY = 'day',
  MONTH = 'month',
}
registerEnumType(SpendPeriod, { name: 'SpendPeriod' });

@ObjectType({ description: 'Messaging spend of one day or month and channel (Asia/Kolkata).' })
export class MessagingSpendRow {
  @Field(() => String, { description: 'YYYY-MM-DD (by DAY) or YYYY-MM (by MONTH)' }) period: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => Int, { description: 'Messages debited (sends attempted).' }) messages: number;
  @Field(() => Int, { description: 'Sends that failed and got their credits back (counted when given back).' }) failed: number;
  @Field(() => Int, { description: 'messages − failed.' }) sent: number;
  @Field(() => Int, { description: 'Credits debited.' }) creditsUsed: number;
  @Field(() => Int, { description: 'Credits given back for failed sends.' }) creditsRefunded: number;
  @Field(() => Int, { description: 'creditsUsed − creditsRefunded.' }) creditsSpent: number;
}
