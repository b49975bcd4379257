import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { StudentContext } from './context';
import { importStudents } from './student-import.service';
import { ImportReport } from './student-import.type';

@Resolver()
export class StudentImportResolver {
  @Mutation(() => ImportReport, {
    description:
      'Imports students from CSV (header: name, phone, parentPhone?, email?, libraryId or library (name), idProofType?, idProofNumber?). ' +
      'Per-row report; rows already imported (same phone + name) are DUPLICATE; rows past the plan limit LIMIT_EXCEEDED. dryRun writes nothing.',
  })
  importStudents(
    @Arg('csv', () => String) csv: string,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun: boolean | null,
    @Ctx() ctx: StudentContext,
  ) {
    return importStudents(ctx, csv, dryRun ?? false);
  }
}
