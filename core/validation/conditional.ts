import { registerDecorator } from 'class-validator';
import { type RuleOptions, withPath } from './options';

/**
 * A field that belongs to one case of another field, and to that case only: `durationDays`
 * is required when `duration` is DAYS and refused otherwise. Sits on a marker property (like
 * the rules of one-of.ts) so it runs when the field is absent; `path` names the field.
 *
 *   @OnlyAndAlwaysWhen('durationDays', 'duration', FeeDuration.DAYS, { path: 'input.durationDays' })
 *   readonly durationDaysRule = true;
 *
 * Messages: `is required for <case>` / `is only for <case>` (the case's value, upper case).
 */
export function OnlyAndAlwaysWhen(field: string, other: string, value: unknown, options?: RuleOptions): PropertyDecorator {
  const label = String(value).toUpperCase();
  return (target, propertyName) =>
    registerDecorator({
      name: 'onlyAndAlwaysWhen',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [field, other, value],
      options: withPath(options),
      validator: {
        validate(_value, args) {
          const object = args!.object as Record<string, unknown>;
          return (object[field] != null) === (object[other] === value);
        },
        defaultMessage: (args) => ((args!.object as Record<string, unknown>)[field] != null ? `is only for ${label}` : `is required for ${label}`),
      },
    });
}
