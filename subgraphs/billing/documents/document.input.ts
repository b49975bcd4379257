import { IsEnum, IsOptional } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { DocumentFormat } from '../../../core/documents/link.type';
import type { DocumentFormatName } from '../../../core/documents/link';
import { IsMonth } from '../../../core/validation/calendar';
import { PaymentDocumentKind } from './document.type';

@ArgsType()
export class PaymentDocumentArgs {
  @Field(() => ID) paymentId: string;
  @Field(() => PaymentDocumentKind, { defaultValue: PaymentDocumentKind.INVOICE }) @IsEnum(PaymentDocumentKind) kind: PaymentDocumentKind;
}

@ArgsType()
export class RegisterDocumentArgs {
  @Field(() => String, { description: 'YYYY-MM (Asia/Kolkata).' }) @IsMonth() month: string;
  @Field(() => ID, { nullable: true, description: 'One library; default: every library of the caller’s branch scope.' })
  @IsOptional()
  libraryId?: string;
  @Field(() => DocumentFormat, { defaultValue: DocumentFormat.PDF }) @IsEnum(DocumentFormat) format: DocumentFormatName;
}
