import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: "A student's full ID-proof number, revealed on request (audited)." })
export class IdProofReveal {
  @Field(() => ID) studentId: string;
  @Field(() => String) type: string;
  @Field(() => String) number: string;
}
