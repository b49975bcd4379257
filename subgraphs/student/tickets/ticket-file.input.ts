import { IsInt, Length, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'An attachment to upload: image/jpeg, png, webp or application/pdf up to 10 MB.' })
export class RequestTicketAttachmentInput {
  @Field(() => ID, { description: 'The library of the ticket the file will be attached to.' }) libraryId: string;
  @Field(() => String, { description: 'The Content-Type the upload will carry (signed).' }) @Length(3, 100) contentType: string;
  @Field(() => Int, { description: 'The exact size in bytes of the file (signed).' }) @IsInt() @Min(1) size: number;
}
