import { Field, Int, ObjectType } from 'type-graphql';
import { Library } from './library.type';

@ObjectType({ description: 'Paid revenue of one library in one month (Asia/Kolkata).' })
export class RevenueRow {
  @Field(() => Library) library: Library;
  @Field(() => String, { description: 'YYYY-MM' }) month: string;
  @Field(() => Int, { description: 'Sum of amounts in paise.' }) total: number;
  @Field(() => Int, { description: 'Number of payments.' }) count: number;
}
