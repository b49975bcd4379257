import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: "An operation registered for the tenant's partner keys (trusted documents, docs/partners.md)." })
export class TrustedDocument {
  @Field(() => String, { description: 'SHA-256 (hex) of `document`: what a partner sends as extensions.persistedQuery.sha256Hash.' })
  sha256Hash: string;
  @Field(() => String) document: string;
  @Field(() => [String], { nullable: 'items', description: 'Operations the document defines (null for an anonymous one).' })
  operationNames: (string | null)[];
  @Field(() => Date) createdAt: Date;
}
