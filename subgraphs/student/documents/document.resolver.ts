import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { DocumentLink } from '../../../core/documents/link.type';
import type { StudentContext } from '../context';
import { AttendanceSheetArgs } from './document.input';
import { issueAttendanceSheet } from './attendance-sheet.service';

@Resolver()
export class StudentDocumentResolver {
  @Query(() => DocumentLink, {
    description: "A download link (5 minutes) of a library's monthly attendance sheet: students × days, with totals per student and per day.",
  })
  attendanceSheet(@Args(() => AttendanceSheetArgs) args: AttendanceSheetArgs, @Ctx() ctx: StudentContext) {
    return issueAttendanceSheet(ctx, args);
  }
}
