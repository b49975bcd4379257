import { pairRule } from './compare';
import type { RuleOptions } from './options';

/**
 * This value must not be before another property of the same input (`toMonth` after `fromMonth`,
 * `toDate` after `fromDate`): compares strings (YYYY-MM, YYYY-MM-DD sort as they read), numbers or
 * Dates. Passes when either side is absent. Message: `must not be before <other>` unless given.
 */
export const NotBefore = (other: string, options?: RuleOptions): PropertyDecorator => orderRule('notBefore', other, false, options);

/** The mirror of NotBefore, on the start field (`fromMonth` not after `toMonth`). Message: `must not be after <other>`. */
export const NotAfter = (other: string, options?: RuleOptions): PropertyDecorator => orderRule('notAfter', other, true, options);

type Comparable = string | number | Date;

function orderRule(name: string, other: string, after: boolean, options?: RuleOptions): PropertyDecorator {
  const ok = (value: unknown, bound: unknown) => (after ? !((value as Comparable) > (bound as Comparable)) : !((value as Comparable) < (bound as Comparable)));
  return pairRule(name, other, ok, `must not be ${after ? 'after' : 'before'} ${other}`, options);
}
