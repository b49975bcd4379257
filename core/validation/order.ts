import { registerDecorator } from 'class-validator';
import { type RuleOptions, withPath } from './options';

/**
 * This value must not be before another property of the same input (`toMonth` after `fromMonth`,
 * `toDate` after `fromDate`): compares strings (YYYY-MM, YYYY-MM-DD sort as they read), numbers or
 * Dates. Passes when either side is absent. Message: `must not be before <other>` unless given.
 */
export function NotBefore(other: string, options?: RuleOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBefore',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [other],
      options: withPath(options),
      validator: {
        validate(value, args) {
          const start = (args?.object as Record<string, unknown>)[other];
          if (value == null || start == null) return true;
          return !((value as string | number | Date) < (start as string | number | Date));
        },
        defaultMessage: () => `must not be before ${other}`,
      },
    });
}
