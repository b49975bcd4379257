import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, parse, type DocumentNode, type GraphQLFormattedError, type ParseOptions, type ValidationContext } from 'graphql';
import { ERROR_CATALOG, type ErrorCode } from '../core/errors';

/** The largest operation, in lexical tokens (graphql-js stops parsing beyond it). */
export const MAX_TOKENS = 2000;

type LimitCode = Extract<ErrorCode, `QUERY_TOO_${string}`>;

export const limitError = (code: LimitCode, message: string) => new GraphQLError(message, { extensions: { code, errorCode: ERROR_CATALOG[code] } });

/** Armor reports through the validation context (a validation error), with a code naming the limit. */
const reject = (code: LimitCode, message: string) => ({
  exposeLimits: false,
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null) => ctx?.reportError(limitError(code, message))],
});

const TOO_LARGE = 'Query is too large (too many tokens)';
// graphql-js 16 words it "more that N tokens".
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;

/**
 * Parses with the token limit. The limit is graphql-js's own `maxTokens`, a
 * proper parse error, not Armor's max-tokens plugin, which throws from inside
 * Apollo's parsing hook and so answered HTTP 500 for every syntax error.
 * Throws GRAPHQL_PARSE_FAILED, or QUERY_TOO_LARGE over the limit.
 */
export function parseOperation(source: string): DocumentNode {
  try {
    return parse(source, PARSE_OPTIONS);
  } catch (err) {
    throw toParseError(err as GraphQLError);
  }
}

/** A syntax error as clients see it: QUERY_TOO_LARGE when it is the token limit, else GRAPHQL_PARSE_FAILED. */
export function toParseError(err: GraphQLError): GraphQLError {
  if (TOO_MANY_TOKENS.test(err.message)) return limitError('QUERY_TOO_LARGE', TOO_LARGE);
  return new GraphQLError(err.message, {
    nodes: err.nodes,
    source: err.source,
    positions: err.positions,
    extensions: { code: 'GRAPHQL_PARSE_FAILED', errorCode: ERROR_CATALOG.GRAPHQL_PARSE_FAILED },
  });
}

/** Apollo reports the token limit as any syntax error: name the limit (formatError of /graphql). */
export function tooLarge(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED' || !TOO_MANY_TOKENS.test(formatted.message)) return formatted;
  const { message, extensions } = limitError('QUERY_TOO_LARGE', TOO_LARGE);
  return { message, extensions };
}

export const PARSE_OPTIONS: ParseOptions = { maxTokens: MAX_TOKENS };

export interface OperationLimitsOptions {
  /** Hide "Did you mean…" field suggestions (production: they reveal the schema). */
  hideSuggestions: boolean;
}

/**
 * Operation limits (depth, aliases, directives, tokens, cost) for the gateway:
 * `parseOptions` and `validationRules` apply to HTTP operations on both
 * endpoints and to graphql-ws ones; `plugins` (Apollo only) hide field
 * suggestions. Each refusal carries a code that names the limit.
 */
export function useOperationLimits(options: OperationLimitsOptions) {
  const armor = new ApolloArmor({
    maxDepth: { n: 10, ...reject('QUERY_TOO_DEEP', 'Query is too deep') },
    maxAliases: { n: 15, ...reject('QUERY_TOO_MANY_ALIASES', 'Query uses too many aliases') },
    maxDirectives: { n: 50, ...reject('QUERY_TOO_MANY_DIRECTIVES', 'Query uses too many directives') },
    maxTokens: { enabled: false },
    // Armor's default (5000) rejects ordinary dashboard queries; depth, aliases and tokens bound the rest.
    costLimit: { maxCost: 100_000, ...reject('QUERY_TOO_COMPLEX', 'Query is too complex') },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }).protect();
  return { ...armor, parseOptions: PARSE_OPTIONS };
}
