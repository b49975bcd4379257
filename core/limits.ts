import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ServiceConfig } from './config';

/**
 * Operation limits (depth, aliases, directives, tokens, cost) for the gateway,
 * applied to HTTP operations and, through `validationRules`, to graphql-ws ones.
 */
export function operationLimits(config: ServiceConfig) {
  return new ApolloArmor({
    maxDepth: { n: 10, exposeLimits: false },
    maxAliases: { n: 15, exposeLimits: false },
    maxDirectives: { n: 50, exposeLimits: false },
    maxTokens: { n: 2000, exposeLimits: false },
    // Armor's default (5000) rejects ordinary dashboard queries; depth, aliases and tokens bound the rest.
    costLimit: { maxCost: 100_000, exposeLimits: false },
    blockFieldSuggestion: { enabled: config.env === 'production' },
  }).protect();
}
