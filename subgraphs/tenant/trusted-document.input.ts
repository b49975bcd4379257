import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { PAGE_MAX, PageArgs, PageSize } from '../../core/pagination';

/** The partner endpoint's body limit: a larger document could never be sent in full. */
export const MAX_DOCUMENT_LENGTH = 100_000;
export const SHA256_HEX = /^[a-f0-9]{64}$/;

@InputType()
export class TrustedDocumentInput {
  @Field(() => String, { description: "The operation text exactly as the partner's client sends it (the hash is taken over these bytes)." })
  @Length(1, MAX_DOCUMENT_LENGTH)
  document: string;

  @Field(() => String, { nullable: true, description: "Optional: the hash from the client's manifest, checked against the document." })
  @IsOptional()
  @Matches(SHA256_HEX, { message: 'sha256Hash must be 64 lowercase hex characters' })
  sha256Hash?: string;
}

@InputType()
export class RegisterTrustedDocumentsInput {
  @Field(() => [TrustedDocumentInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  documents: TrustedDocumentInput[];
}

/** Newest first; the default is the whole page (it was 500 before the one page-size rule). */
@ArgsType()
export class TrustedDocumentPageArgs extends PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: PAGE_MAX, description: `1..${PAGE_MAX}` })
  @PageSize()
  declare first?: number | null;
}

/** Arguments of `removeTrustedDocument`. */
@ArgsType()
export class TrustedDocumentHashArgs {
  @Field(() => String) @Matches(SHA256_HEX, { message: 'must be 64 lowercase hex characters' }) sha256Hash: string;
}
