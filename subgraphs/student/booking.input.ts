import { IsInt, IsISO8601, Matches, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

export const YMD = /^\d{4}-\d{2}-\d{2}$/;

@InputType()
export class BookSeatInput {
  @Field(() => ID) studentId: string;
  @Field(() => ID) libraryId: string;
  @Field(() => Int, { description: '1..library capacity.' }) @IsInt() @Min(1) @Max(10_000) seatNumber: number;
  @Field(() => String, { description: 'YYYY-MM-DD.' })
  @Matches(YMD, { message: 'must be YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'must be a real date' })
  date: string;
}
