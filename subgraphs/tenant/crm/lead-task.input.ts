import { IsDate, IsOptional, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../../core/pagination';

@InputType()
export class AddLeadTaskInput {
  @Field(() => ID) leadId: string;
  @Field(() => String) @Length(1, 200) title: string;
  @Field(() => Date) @IsDate() dueAt: Date;
  @Field(() => ID, { nullable: true, description: "A platform user; the lead's owner when omitted." })
  @IsOptional()
  @MaxLength(24)
  assigneeId?: string | null;
}

@ArgsType()
export class LeadTasksDueArgs extends PageArgs {
  @Field(() => Date, { nullable: true, description: 'Open tasks due at or before this time; now when omitted.' })
  @IsOptional()
  @IsDate()
  before?: Date | null;
  @Field(() => ID, { nullable: true, description: "One platform user's tasks." })
  @IsOptional()
  @MaxLength(24)
  assigneeId?: string | null;
}
