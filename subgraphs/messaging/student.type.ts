import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The student subgraph's entity; messaging contributes `messages` and `messageCount`. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Student {
  @Field(() => ID) id: string;
}
