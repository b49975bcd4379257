import { registerDecorator } from 'class-validator';
import { isValidDay, MONTH_PATTERN } from '../tenant-time';
import { type RuleOptions, withPath } from './options';

/** A real calendar day 'YYYY-MM-DD' (2030-02-30 is refused); the one check behind @IsDay and the CSV routes. */
export const dayProblem = (value: unknown): string | null => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'must be YYYY-MM-DD';
  return isValidDay(value) ? null : 'must be a real date';
};

/** A month 'YYYY-MM' (01-12). */
export const monthProblem = (value: unknown): string | null => (typeof value === 'string' && MONTH_PATTERN.test(value) ? null : 'must be YYYY-MM');

function calendarRule(name: string, problem: (value: unknown) => string | null, options?: RuleOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: withPath(options),
      validator: { validate: (value) => problem(value) === null, defaultMessage: (args) => problem(args?.value) ?? '' },
    });
}

/** A real calendar day 'YYYY-MM-DD' (tenant-local, see core/tenant-time.ts). Null/undefined pass: mark optional fields with @IsOptional. */
export const IsDay = (options?: RuleOptions): PropertyDecorator => calendarRule('isDay', dayProblem, options);

/** A month 'YYYY-MM'. Null/undefined pass (with @IsOptional). */
export const IsMonth = (options?: RuleOptions): PropertyDecorator => calendarRule('isMonth', monthProblem, options);
