import { IsEnum, IsOptional } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { DocumentFormat } from '../../../core/documents/link.type';
import type { DocumentFormatName } from '../../../core/documents/link';
import { IsDay, IsMonth } from '../../../core/validation/calendar';

@ArgsType()
export class AttendanceSheetArgs {
  @Field(() => ID) libraryId: string;
  @Field(() => String, { description: "YYYY-MM (the tenant's time zone, as attendanceStats)." }) @IsMonth() month: string;
  @Field(() => DocumentFormat, { defaultValue: DocumentFormat.PDF }) @IsEnum(DocumentFormat) format: DocumentFormatName;
}

@ArgsType()
export class StudentsExportArgs {
  @Field(() => ID, { nullable: true, description: 'One library; default: every library of the caller’s branch scope.' })
  @IsOptional()
  libraryId?: string | null;
}

@ArgsType()
export class AttendanceExportArgs {
  @Field(() => String, { description: 'YYYY-MM-DD, first check-in day (tenant time zone).' }) @IsDay() from: string;
  @Field(() => String, { description: 'YYYY-MM-DD, last check-in day (inclusive; at most 366 days after from).' }) @IsDay() to: string;
  @Field(() => ID, { nullable: true, description: 'One library; default: every library of the caller’s branch scope.' })
  @IsOptional()
  libraryId?: string | null;
}
