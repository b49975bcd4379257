import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What one fee-cycle run changed (steps another run already made are not counted).' })
export class FeeCycleReport {
  @Field(() => Int, { description: 'Periods renewed (one charge each).' }) renewed: number;
  @Field(() => Int, { description: 'Cancelled memberships that ran out.' }) expired: number;
  @Field(() => Int, { description: 'Freezes that ended.' }) unfrozen: number;
  @Field(() => Int, { description: 'Late fees added.' }) lateFees: number;
}
