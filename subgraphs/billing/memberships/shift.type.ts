import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The student subgraph's entity; billing contributes the fee plans sold for it (`Shift.feePlans`). */
@Directive('@key(fields: "id")')
@ObjectType()
export class Shift {
  @Field(() => ID) id: string;
}
