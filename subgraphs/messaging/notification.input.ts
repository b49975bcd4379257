import { IsInt, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class NotificationsArgs {
  @Field(() => Boolean, { defaultValue: false }) unreadOnly: boolean;
  @Field(() => Int, { defaultValue: 50 }) @IsInt() @Min(1) @Max(100) first: number;
}
