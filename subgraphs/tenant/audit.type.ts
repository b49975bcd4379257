import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One successful mutation: who did what, to which entity, from where.' })
export class AuditEntry {
  @Field(() => ID) id: string;
  @Field(() => String, { description: 'Subgraph that handled it.' }) service: string;
  @Field(() => String, { description: 'The mutation, e.g. createStudent.' }) action: string;
  @Field(() => String) userId: string;
  @Field(() => String) role: string;
  @Field(() => String, { nullable: true }) entityId?: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Input, with secrets and contact details redacted.' }) input?: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Previous values of what the mutation changed (the whole entity on delete), redacted likewise.' })
  before?: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Resulting entity (after), redacted likewise.' }) result?: unknown;
  @Field(() => String, { nullable: true }) ip?: string | null;
  @Field(() => Date) at: Date;
}
