import type { ValidationOptions } from 'class-validator';

/**
 * Options of every core/validation decorator: class-validator's own, plus `path`, the field a
 * client sees in `extensions.field` and the message prefix (core/errors.ts reads it). Without it
 * the path is the property's own (`code`); an `@Arg('input')` class names it `input.code` to keep
 * the path its hand-written check reported before.
 */
export interface RuleOptions extends ValidationOptions {
  path?: string;
}

/** class-validator options carrying the path in the error's `contexts`. */
export function withPath({ path, ...options }: RuleOptions = {}): ValidationOptions {
  if (!path) return options;
  const context: Record<string, unknown> = { ...(options.context as Record<string, unknown> | undefined), path };
  return { ...options, context };
}
