import { registerDecorator } from 'class-validator';
import { type RuleOptions, withPath } from './options';

/*
 * Rules across fields of one input. class-validator skips every rule of a property that is
 * null/undefined (type-graphql validates with skipMissingProperties, and @IsOptional does the same),
 * so these rules cannot sit on the fields they count: when all are absent nothing would run. They
 * sit on a marker property that is always set, a class field outside the GraphQL type:
 *
 *   @ExactlyOneOf(['code', 'recoveryCode'], { path: 'input.code' })
 *   readonly secondFactor = true;
 *
 * (type-graphql builds inputs with `new Input()`, so the initialiser runs.) Give `path`: the marker's
 * own name means nothing to a client. A field counts as given when it is neither null nor undefined.
 */

export interface OneOfOptions extends RuleOptions {
  /** Fields where an explicit null counts as given (an update where null clears the field). Otherwise null is absent. */
  nullClears?: readonly string[];
}

const given = (object: object, fields: readonly string[], nullClears: readonly string[]) =>
  fields.filter((f) => {
    const value = (object as Record<string, unknown>)[f];
    return value != null || (value === null && nullClears.includes(f));
  }).length;

function countRule(name: string, fields: readonly string[], ok: (count: number) => boolean, message: string, options: OneOfOptions = {}): PropertyDecorator {
  const { nullClears = [], ...rest } = options;
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [...fields],
      options: withPath({ message, ...rest }),
      validator: { validate: (_value, args) => ok(given(args!.object, fields, nullClears)) },
    });
}

const list = (fields: readonly string[]) => `${fields.slice(0, -1).join(', ')} or ${fields[fields.length - 1]}`;

/** Exactly one of these fields is given. Default message: `give exactly one of a or b`. */
export const ExactlyOneOf = (fields: readonly string[], options?: OneOfOptions): PropertyDecorator =>
  countRule('exactlyOneOf', fields, (n) => n === 1, `give exactly one of ${list(fields)}`, options);

/** At least one of these fields is given (an update that changes something). Default message: `give at least one of a or b`. */
export const AtLeastOneOf = (fields: readonly string[], options?: OneOfOptions): PropertyDecorator =>
  countRule('atLeastOneOf', fields, (n) => n >= 1, `give at least one of ${list(fields)}`, options);

/** All of these fields or none (latitude and longitude). Default message: `a and b go together`. */
export const AllOrNone = (fields: readonly string[], options?: OneOfOptions): PropertyDecorator =>
  countRule('allOrNone', fields, (n) => n === 0 || n === fields.length, `${fields.join(' and ')} go together`, options);

/** At most one of these fields (two ways to say the same thing). Default message: `give a or b, not both`. */
export const AtMostOneOf = (fields: readonly string[], options?: OneOfOptions): PropertyDecorator =>
  countRule('atMostOneOf', fields, (n) => n <= 1, `give ${list(fields)}, not both`, options);
