import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Channel } from './channel.type';

@ObjectType({ description: 'A pack of credits of one channel that tenants can buy.' })
export class CreditPackage {
  @Field(() => ID) id: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => Int) credits: number;
  @Field(() => Int, { description: 'Price to the tenant, in paise.' }) pricePaise: number;
  @Field(() => Boolean, { description: 'Inactive packages are hidden from tenants and cannot be bought.' }) active: boolean;
}
