import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

/**
 * The one page-size rule of every list: `first` is an integer 1..PAGE_MAX, checked by
 * class-validator like every other input (a larger page is BAD_USER_INPUT, never
 * silently clamped). Lists may pick their own default; none may raise the maximum.
 */
export const PAGE_MAX = 200;
export const PAGE_DEFAULT = 50;

/** class-validator decorators of a page-size field: optional, integer, 1..PAGE_MAX. */
export function PageSize(): PropertyDecorator {
  return (target, key) => {
    for (const d of [IsOptional(), IsInt(), Min(1), Max(PAGE_MAX)]) d(target, key);
  };
}

/** `first` of a list query (`@Args() { first }: PageArgs`); subclass and redeclare `first` for another default. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: PAGE_DEFAULT, description: `1..${PAGE_MAX}` })
  @PageSize()
  first?: number | null;
}

/** The page size to read: the caller's `first`, or the list's default when null. */
export const pageSize = (first: number | null | undefined, fallback = PAGE_DEFAULT): number => first ?? fallback;
