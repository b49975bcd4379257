import { IsEnum } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { DocumentFormat } from '../../../core/documents/link.type';
import type { DocumentFormatName } from '../../../core/documents/link';
import { IsMonth } from '../../../core/validation/calendar';

@ArgsType()
export class AttendanceSheetArgs {
  @Field(() => ID) libraryId: string;
  @Field(() => String, { description: "YYYY-MM (the tenant's time zone, as attendanceStats)." }) @IsMonth() month: string;
  @Field(() => DocumentFormat, { defaultValue: DocumentFormat.PDF }) @IsEnum(DocumentFormat) format: DocumentFormatName;
}
