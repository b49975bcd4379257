import { PUBLIC_TAG } from '../../core/federation/contract';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Library } from './library.type';

export enum StudentStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  LEFT = 'left',
}
registerEnumType(StudentStatus, { name: 'StudentStatus' });

@ObjectType({ description: 'An identity document of a student.' })
export class IdProof {
  @Field(() => String, { description: 'e.g. Aadhaar, PAN, passport.' }) type: string;
  @Field(() => String) number: string;
}

// PII (email, phone, parentPhone, idProof) needs students:read (catalog). phone is
// non-null, so a denied phone nulls the whole student; the optional ones do not.
@Directive('@key(fields: "id")')
@ObjectType({ description: "A student enrolled at one of the tenant's libraries." })
export class Student {
  @Directive(PUBLIC_TAG) @Field(() => ID) id: string;
  @Directive(PUBLIC_TAG) @Field(() => String) name: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String) phone: string;
  @Field(() => String, { nullable: true }) parentPhone?: string | null;
  @Field(() => IdProof, { nullable: true }) idProof?: IdProof | null;
  @Directive(PUBLIC_TAG) @Field(() => StudentStatus) status: StudentStatus;
  @Directive(PUBLIC_TAG) @Field(() => Library, { description: 'Home library.' }) library: Library;
  @Directive(PUBLIC_TAG) @Field(() => Boolean, { description: 'Has an open attendance record.' }) checkedIn: boolean;
  @Directive(PUBLIC_TAG) @Field(() => Date) joinedAt: Date;
  @Field(() => Date) createdAt: Date;
}

@Directive(PUBLIC_TAG)
@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}

@Directive(PUBLIC_TAG)
@ObjectType()
export class StudentEdge {
  @Field(() => String) cursor: string;
  @Field(() => Student) node: Student;
}

@Directive(PUBLIC_TAG)
@ObjectType()
export class StudentConnection {
  @Field(() => [StudentEdge]) edges: StudentEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int, { description: 'Students matching the filter, across all pages.' }) totalCount: number;
}
