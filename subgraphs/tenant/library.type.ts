import { PUBLIC_TAG } from '../../core/federation/contract';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum LibraryStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  UNDER_MAINTENANCE = 'under_maintenance',
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
  @Field(() => Date) createdAt: Date;
}
