import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { FileDownload, UploadTicket } from '../../core/storage/file.type';
import type { StudentContext } from './context';
import { RequestStudentUploadInput } from './student-file.input';
import { confirmStudentUpload, requestStudentUpload, studentIdProofScan, studentPhoto } from './student-file.service';
import type { StudentView } from './student.service';
import { Student } from './student.type';

@Resolver(() => Student)
export class StudentFileResolver {
  @Mutation(() => UploadTicket, { description: "An upload URL for a student's photo or ID-proof scan; confirm it with confirmStudentUpload." })
  requestStudentUpload(@Arg('input', () => RequestStudentUploadInput) input: RequestStudentUploadInput, @Ctx() ctx: StudentContext) {
    return requestStudentUpload(ctx, input);
  }

  @Mutation(() => Student, { description: 'Checks the uploaded file (size, type) and makes it the student’s photo or scan (the previous one is deleted).' })
  confirmStudentUpload(@Arg('fileId', () => ID) fileId: string, @Ctx() ctx: StudentContext) {
    return confirmStudentUpload(ctx, fileId);
  }

  @FieldResolver(() => FileDownload, { nullable: true, description: 'A 5-minute download link of the photo.' })
  photo(@Root() student: StudentView, @Ctx() ctx: StudentContext) {
    return studentPhoto(ctx, student);
  }

  @FieldResolver(() => FileDownload, { nullable: true, description: 'A 5-minute download link of the ID-proof scan (needs students:idproof:reveal; audited).' })
  idProofScan(@Root() student: StudentView, @Ctx() ctx: StudentContext) {
    return studentIdProofScan(ctx, student);
  }
}
