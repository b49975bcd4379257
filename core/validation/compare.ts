import { registerDecorator } from 'class-validator';
import { type RuleOptions, withPath } from './options';

/** Rules between two fields of one input. Both pass when either side is absent (mark optional fields @IsOptional). */

export function pairRule(
  name: string,
  other: string,
  ok: (value: unknown, bound: unknown) => boolean,
  message: string,
  options?: RuleOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [other],
      options: withPath({ message, ...options }),
      validator: {
        validate(value, args) {
          const bound = (args!.object as Record<string, unknown>)[other];
          return value == null || bound == null || ok(value, bound);
        },
      },
    });
}

/** Not equal to another field (a new password that is not the current one). Default message: `must differ from <other>`. */
export const DiffersFrom = (other: string, options?: RuleOptions): PropertyDecorator =>
  pairRule('differsFrom', other, (value, bound) => value !== bound, `must differ from ${other}`, options);

/** A string that starts with another field's value (a GSTIN starts with its state code). Default message: `must start with <other>`. */
export const StartsWithField = (other: string, options?: RuleOptions): PropertyDecorator =>
  pairRule('startsWithField', other, (value, bound) => typeof value === 'string' && value.startsWith(String(bound)), `must start with ${other}`, options);
