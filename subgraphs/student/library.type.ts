import { PUBLIC_TAG } from '../../core/federation/contract';
import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'Live seat usage of a library: open check-ins against its capacity.' })
export class Occupancy {
  @Field(() => ID) libraryId: string;
  @Field(() => Int) occupied: number;
  @Field(() => Int) capacity: number;
  @Field(() => Int) free: number;
  @Field(() => Float, { description: 'Occupied share of capacity, 0-100, one decimal.' }) percent: number;
}

/** Stub of the tenant subgraph's Library: this subgraph adds its occupancy. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Library {
  @Field(() => ID) id: string;
  // Owned by the tenant subgraph; the gateway fetches it before asking for occupancy.
  @Directive('@external')
  @Field(() => Int)
  capacity: number;

  @Directive(PUBLIC_TAG)
  @Directive('@requires(fields: "capacity")')
  @Field(() => Occupancy)
  occupancy: Occupancy;
}
