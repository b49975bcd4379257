import { IsInt, Length, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';

@InputType({ description: 'What will be uploaded: both values are signed into the URL.' })
export class FileUploadInput {
  @Field(() => String, { description: 'The Content-Type the upload will carry.' }) @Length(3, 100) contentType: string;
  @Field(() => Int, { description: 'The exact size in bytes.' }) @IsInt() @Min(1) size: number;
}
