import { PUBLIC_TAG } from '../../core/federation/contract';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum LibraryStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  UNDER_MAINTENANCE = 'under_maintenance',
  /** Created by a manager; an owner (or platform admin) approves or rejects it. */
  PENDING_APPROVAL = 'pending_approval',
  REJECTED = 'rejected',
  /** Taken out of service by an owner or the platform; only reactivateLibrary brings it back. */
  SUSPENDED = 'suspended',
}
registerEnumType(LibraryStatus, { name: 'LibraryStatus' });

@Directive('@key(fields: "id")')
@Directive(PUBLIC_TAG)
@ObjectType({ description: 'A study library (branch) of a tenant.' })
export class Library {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String, { nullable: true }) address?: string;
  @Field(() => String, { nullable: true }) city?: string;
  @Field(() => Int, { description: 'Number of seats.' }) capacity: number;
  @Field(() => String, { description: 'Opening time, HH:MM (24h).' }) openingTime: string;
  @Field(() => String, { description: 'Closing time, HH:MM (24h).' }) closingTime: string;
  @Field(() => LibraryStatus) status: LibraryStatus;
  @Field(() => String, { nullable: true, description: 'Why it was rejected or suspended.' }) statusReason?: string | null;
  @Field(() => Float, { nullable: true }) latitude?: number | null;
  @Field(() => Float, { nullable: true }) longitude?: number | null;
  @Field(() => [String], { description: 'e.g. wifi, ac, lockers.' }) amenities: string[];
  @Field(() => Date) createdAt: Date;
}

@ObjectType({ description: 'A library and how far it is from the searched point.' })
export class NearbyLibrary {
  @Field(() => Library) library: Library;
  @Field(() => Float, { description: 'Great-circle distance in kilometres.' }) distanceKm: number;
}
