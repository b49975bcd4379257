import { IsIn, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { StartsWithField } from '../../../core/validation/compare';
import { GST_RATES } from './gst.service';

/** State code (2) + PAN (5 letters, 4 digits, 1 letter) + entity number + 'Z' + check character. */
export const GSTIN = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;
/** GST state codes 01–38 and 97 (other territory). */
export const STATE_CODE = /^(0[1-9]|[12][0-9]|3[0-8]|97)$/;

@InputType({ description: 'All seller details at once (replaces the previous ones).' })
export class BillingSettingsInput {
  @Field(() => String) @Length(1, 200) legalName: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(GSTIN, { message: 'must be a 15-character GSTIN' })
  // A GSTIN starts with the state code it is registered in.
  @StartsWithField('stateCode')
  gstin?: string;
  @Field(() => String) @Length(1, 500) address: string;
  @Field(() => String) @Matches(STATE_CODE, { message: 'must be a two-digit GST state code' }) stateCode: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^\d{4,8}$/, { message: 'must be 4 to 8 digits' }) hsnSac?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsIn([...GST_RATES]) gstRatePercent?: number;
}
