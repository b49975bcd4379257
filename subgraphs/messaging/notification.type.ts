import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A notice for the staff of a tenant (e.g. low credit balance).' })
export class Notification {
  @Field(() => ID) id: string;
  @Field(() => String, { description: 'Machine-readable kind, e.g. LOW_CREDIT_BALANCE.' }) type: string;
  @Field(() => String) title: string;
  @Field(() => String) body: string;
  @Field(() => Boolean) read: boolean;
  @Field(() => Date) createdAt: Date;
}
