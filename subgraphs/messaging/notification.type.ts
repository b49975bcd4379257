import { Field, ID, ObjectType } from 'type-graphql';
import { Student } from './student.type';

@ObjectType({ description: 'A notice for the staff of a tenant (e.g. low credit balance).' })
export class Notification {
  @Field(() => ID) id: string;
  @Field(() => String, { description: 'Machine-readable kind, e.g. LOW_CREDIT_BALANCE.' }) type: string;
  @Field(() => String) title: string;
  @Field(() => String) body: string;
  @Field(() => Boolean) read: boolean;
  @Field(() => Student, { nullable: true, description: 'The student it is about, if any (resolved by the student subgraph).' })
  student?: Student | null;
  @Field(() => Date) createdAt: Date;
  studentId?: string | null;
}
