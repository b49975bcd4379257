import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { DocumentLink } from '../../../core/documents/link.type';
import type { StudentContext } from '../context';
import { AttendanceExportArgs, AttendanceSheetArgs, StudentsExportArgs } from './document.input';
import { issueAttendanceExport, issueStudentsExport } from './export.service';
import { issueAttendanceSheet } from './attendance-sheet.service';

@Resolver()
export class StudentDocumentResolver {
  @Query(() => DocumentLink, {
    description: "A download link (5 minutes) of a library's monthly attendance sheet: students × days, with totals per student and per day.",
  })
  attendanceSheet(@Args(() => AttendanceSheetArgs) args: AttendanceSheetArgs, @Ctx() ctx: StudentContext) {
    return issueAttendanceSheet(ctx, args);
  }

  @Query(() => DocumentLink, { description: 'A download link (5 minutes) of every student (one library, or your branch scope) as XLSX, streamed.' })
  studentsExport(@Args(() => StudentsExportArgs) args: StudentsExportArgs, @Ctx() ctx: StudentContext) {
    return issueStudentsExport(ctx, args);
  }

  @Query(() => DocumentLink, { description: 'A download link (5 minutes) of every visit from..to (at most a year) as XLSX, streamed.' })
  attendanceExport(@Args(() => AttendanceExportArgs) args: AttendanceExportArgs, @Ctx() ctx: StudentContext) {
    return issueAttendanceExport(ctx, args);
  }
}
