import { registerDecorator } from 'class-validator';
import { type RuleOptions, withPath } from './options';

/** A string with something besides spaces (`'   '` is refused). Null/undefined pass (with @IsOptional). */
export function NotBlank(options?: RuleOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBlank',
      target: target.constructor,
      propertyName: propertyName as string,
      options: withPath(options),
      validator: { validate: (value) => typeof value === 'string' && value.trim() !== '', defaultMessage: () => 'must not be blank' },
    });
}
