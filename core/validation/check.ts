import { validate } from 'class-validator';
import { invalidInput } from '../errors';

/** The options type-graphql validates GraphQL arguments with (core/federation/build-subgraph.ts and its defaults). */
export const VALIDATOR_OPTIONS = { skipMissingProperties: true, forbidUnknownValues: false, validationError: { target: false, value: false } };

/**
 * Input that does not come through GraphQL (a REST route's query string) checked by the same
 * input class and decorators as its GraphQL twin: the instance, or BAD_USER_INPUT with the same
 * message and field a GraphQL client would get.
 */
export async function checkInput<T extends object>(cls: new () => T, data: Partial<Record<keyof T, unknown>>): Promise<T> {
  const instance = Object.assign(new cls(), data);
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw invalidInput(errors);
  return instance;
}
