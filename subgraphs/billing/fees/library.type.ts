import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The tenant subgraph's entity; billing only refers to it by id. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Library {
  @Field(() => ID) id: string;
}
