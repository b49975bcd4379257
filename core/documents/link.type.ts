import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { DOCUMENT_FORMATS, type DocumentFormatName } from './link';

/** The GraphQL enum of document formats (values = names: PDF, XLSX). */
export const DocumentFormat = Object.fromEntries(DOCUMENT_FORMATS.map((f) => [f, f])) as { [K in DocumentFormatName]: K };
registerEnumType(DocumentFormat, { name: 'DocumentFormat', description: 'The file format of a generated document.' });

// A value type every subgraph with documents serves alike (@shareable), like FileDownload.
@Directive('@shareable')
@ObjectType({
  description:
    'A short-lived, signed download link of a generated document (invoice, register, sheet). GET the url (relative to the API origin, ' +
    'no Authorization header needed) before expiresAt; the permission was checked when the link was issued.',
})
export class DocumentLink {
  @Field(() => String, { description: 'Path on the API origin, e.g. /documents/<token>.' }) url: string;
  @Field(() => String) fileName: string;
  @Field(() => String) contentType: string;
  @Field(() => Date) expiresAt: Date;
}
