import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Stub of the tenant subgraph's entity; this subgraph contributes `wallet`. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Tenant {
  @Field(() => ID) id: string;
  /** Not a GraphQL field: set by the reference resolver once access is checked. */
  dbName: string;
}
