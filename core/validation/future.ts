import { registerDecorator } from 'class-validator';
import { type RuleOptions, withPath } from './options';

/** A Date after the moment it is checked (an expiry). Null/undefined pass (with @IsOptional). Default message: `must be in the future`. */
export function IsInFuture(options?: RuleOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInFuture',
      target: target.constructor,
      propertyName: propertyName as string,
      options: withPath({ message: 'must be in the future', ...options }),
      validator: { validate: (value) => value instanceof Date && value.getTime() > Date.now() },
    });
}
