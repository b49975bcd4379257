import { IsDate, IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) action?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) userId?: string;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() from?: Date;
  @Field(() => Date, { nullable: true }) @IsOptional() @IsDate() to?: Date;
}
