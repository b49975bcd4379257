import { mergeRules } from '../core/permissions/rules';
import { billingSubgraphRules } from './billing/rules';
import { creditsSubgraphRules } from './credits/rules';
import { messagingSubgraphRules } from './messaging/rules';
import { studentSubgraphRules } from './student/rules';
import { tenantSubgraphRules } from './tenant/rules';

/**
 * Every subgraph's rules as one table: what the gateway's subscription check and
 * docs/permissions.md read. Rules only (no resolvers or servers), so the gateway can import
 * it cheaply; subgraphs/registry.ts re-exports it. Throws if two subgraphs disagree on a field.
 */
export const SUPERGRAPH_RULES = mergeRules(
  tenantSubgraphRules, studentSubgraphRules, billingSubgraphRules, creditsSubgraphRules, messagingSubgraphRules,
);
