import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The student subgraph's entity; billing contributes `payments` (see student.resolver.ts). */
@Directive('@key(fields: "id")')
@ObjectType()
export class Student {
  @Field(() => ID) id: string;
}
