import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Stub of the billing subgraph's Membership: a booking points at the one it draws on. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Membership {
  @Field(() => ID) id: string;
}
