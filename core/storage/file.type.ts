import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

// Value types every subgraph that stores files serves alike (@shareable).

@Directive('@shareable')
@ObjectType({ description: 'A request header the upload must carry exactly as given (it is part of the signature).' })
export class HttpHeader {
  @Field(() => String) name: string;
  @Field(() => String) value: string;
}

@Directive('@shareable')
@ObjectType({
  description:
    'Where and how to upload one file: PUT the body to uploadUrl with these headers before expiresAt, then confirm with fileId. ' +
    'The storage server refuses another size, content type or key.',
})
export class UploadTicket {
  @Field(() => ID) fileId: string;
  @Field(() => String) uploadUrl: string;
  @Field(() => [HttpHeader]) headers: HttpHeader[];
  @Field(() => Date) expiresAt: Date;
  @Field(() => Int, { description: 'The exact number of bytes the URL accepts (the size asked for).' }) size: number;
  @Field(() => Int, { description: 'The largest size this kind of file may have.' }) maxBytes: number;
}

@Directive('@shareable')
@ObjectType({ description: 'A short-lived download link of a stored file.' })
export class FileDownload {
  @Field(() => String) url: string;
  @Field(() => Date) expiresAt: Date;
  @Field(() => String) contentType: string;
  @Field(() => Int) size: number;
}
