import { IsEmail, IsEnum, IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PAGE_MAX, PageArgs, PageSize } from '../../core/pagination';
import { StudentStatus } from './student.type';

const PHONE = /^\+?[0-9]{10,15}$/;
const PHONE_MSG = { message: 'must be 10-15 digits, optionally starting with +' };

@InputType()
export class IdProofInput {
  @Field(() => String) @Length(1, 30) type: string;
  @Field(() => String) @Length(1, 50) number: string;
}

@InputType()
export class CreateStudentInput {
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @Matches(PHONE, PHONE_MSG) phone: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(PHONE, PHONE_MSG) parentPhone?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(200) email?: string;
  @Field(() => ID, { description: 'Home library (must exist in the tenant).' }) libraryId: string;
  @Field(() => IdProofInput, { nullable: true }) @IsOptional() @ValidateNested() idProof?: IdProofInput;
  @Field(() => String, { nullable: true, description: "Another student's referral code: records a PENDING referral." })
  @IsOptional()
  @Matches(/^[A-Za-z0-9 -]{4,20}$/, { message: 'must be 4-20 letters or digits' })
  referralCode?: string;
}

@InputType()
export class UpdateStudentInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(PHONE, PHONE_MSG) phone?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(PHONE, PHONE_MSG) parentPhone?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(200) email?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() libraryId?: string;
  @Field(() => IdProofInput, { nullable: true }) @IsOptional() @ValidateNested() idProof?: IdProofInput;
  @Field(() => StudentStatus, { nullable: true }) @IsOptional() @IsEnum(StudentStatus) status?: StudentStatus;
}

@InputType()
export class StudentFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() libraryId?: string;
  @Field(() => StudentStatus, { nullable: true }) @IsOptional() @IsEnum(StudentStatus) status?: StudentStatus;
  @Field(() => String, { nullable: true, description: 'Case-insensitive prefix of the name.' })
  @IsOptional()
  @Length(1, 100)
  search?: string;
}

export const STUDENT_PAGE = 20;

@ArgsType()
export class StudentPageArgs extends PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: STUDENT_PAGE, description: `1..${PAGE_MAX}` })
  @PageSize()
  declare first?: number | null;
}
