import { mergeModules } from '../core/permissions/modules';
import { mergeRules } from '../core/permissions/rules';
import { billingSubgraphModules, billingSubgraphRules } from './billing/rules';
import { creditsSubgraphModules, creditsSubgraphRules } from './credits/rules';
import { messagingSubgraphModules, messagingSubgraphRules } from './messaging/rules';
import { studentSubgraphModules, studentSubgraphRules } from './student/rules';
import { tenantSubgraphModules, tenantSubgraphRules } from './tenant/rules';

/**
 * Every subgraph's rules as one table: what the gateway's subscription check and
 * docs/permissions.md read. Rules only (no resolvers or servers), so the gateway can import
 * it cheaply; subgraphs/registry.ts re-exports it. Throws if two subgraphs disagree on a field.
 */
export const SUPERGRAPH_RULES = mergeRules(tenantSubgraphRules, studentSubgraphRules, billingSubgraphRules, creditsSubgraphRules, messagingSubgraphRules);

/**
 * Every subgraph's module table as one (the gateway's subscription check and
 * docs/permissions.md read it). Throws if two subgraphs disagree on a field.
 */
export const SUPERGRAPH_MODULES = mergeModules(
  tenantSubgraphModules,
  studentSubgraphModules,
  billingSubgraphModules,
  creditsSubgraphModules,
  messagingSubgraphModules,
);
