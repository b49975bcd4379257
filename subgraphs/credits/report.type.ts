import { Field, Int, ObjectType } from 'type-graphql';
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
