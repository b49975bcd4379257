import { IsEnum, IsInt, Length, Min } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';

export enum StudentFileKind {
  PHOTO = 'PHOTO',
  ID_PROOF_SCAN = 'ID_PROOF_SCAN',
}
registerEnumType(StudentFileKind, {
  name: 'StudentFileKind',
  description: 'PHOTO: image/jpeg, png or webp up to 5 MB. ID_PROOF_SCAN: image/jpeg, png, webp, heic or application/pdf up to 10 MB.',
});

@InputType()
export class RequestStudentUploadInput {
  @Field(() => ID) studentId: string;
  @Field(() => StudentFileKind) @IsEnum(StudentFileKind) kind: StudentFileKind;
  @Field(() => String, { description: 'The Content-Type the upload will carry (signed).' }) @Length(3, 100) contentType: string;
  @Field(() => Int, { description: 'The exact size in bytes of the file (signed).' }) @IsInt() @Min(1) size: number;
}
