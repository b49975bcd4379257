import { IsOptional } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { IsDay, IsMonth } from '../../core/validation/calendar';

/** A statement's period: a month, or from..to (Asia/Kolkata days, as the ledger records them). */
@ArgsType()
export class CreditStatementArgs {
  @Field(() => String, { nullable: true, description: 'YYYY-MM; or give from and to.' }) @IsOptional() @IsMonth() month?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (inclusive).' }) @IsOptional() @IsDay() from?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (inclusive).' }) @IsOptional() @IsDay() to?: string | null;
}
