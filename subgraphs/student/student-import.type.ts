import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ImportRowStatus {
  IMPORTED = 'imported',
  /** dryRun: valid and would be imported. */
  WOULD_IMPORT = 'would_import',
  DUPLICATE = 'duplicate',
  INVALID = 'invalid',
  LIMIT_EXCEEDED = 'limit_exceeded',
}
registerEnumType(ImportRowStatus, { name: 'ImportRowStatus' });

@ObjectType()
export class ImportIssue {
  @Field(() => String, { description: 'CSV column / input field, e.g. phone, email, library.' }) field: string;
  @Field(() => String) message: string;
}

@ObjectType({ description: 'Outcome of one CSV data row.' })
export class ImportRow {
  @Field(() => Int, { description: '1-based data row (the header is row 0).' }) row: number;
  @Field(() => Int, { description: 'Line of the CSV where the row ends.' }) line: number;
  @Field(() => ImportRowStatus) status: ImportRowStatus;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'The created (IMPORTED) or existing (DUPLICATE) student.' }) studentId?: string | null;
  @Field(() => [ImportIssue]) issues: ImportIssue[];
}

@ObjectType({ description: 'Per-row report of importStudents.' })
export class ImportReport {
  @Field(() => Boolean) dryRun: boolean;
  @Field(() => Int) total: number;
  @Field(() => Int, { description: 'IMPORTED, or WOULD_IMPORT on a dry run.' }) imported: number;
  @Field(() => Int) duplicates: number;
  @Field(() => Int) invalid: number;
  @Field(() => Int) limitExceeded: number;
  @Field(() => [ImportRow]) rows: ImportRow[];
}
