import type { Connection } from 'mongoose';
import type { ServiceConfig, SubgraphName } from '../core/config';
import type { EventDeclarations } from '../core/events';
import type { SubgraphDefinition } from '../core/federation/build-subgraph';
import type { RuleTable } from '../core/permissions/rules';
import type { RunningService } from '../core/server/subgraph-server';
import type { SubscriptionRoutes } from '../core/federation/gateway-subscription';
import type { DbManager } from '../core/tenancy/db';
import { provisionDatabase, type TenantSchemas } from '../core/tenancy/provision';
import * as billing from './billing';
import * as credits from './credits';
import * as messaging from './messaging';
import * as student from './student';
import * as tenant from './tenant';

export { SUPERGRAPH_MODULES, SUPERGRAPH_RULES } from './rules';
export { SUPERGRAPH_SUBSCRIPTIONS } from './subscriptions';
export { CONSUMER_NAMES, DOMAIN_CONSUMERS } from './events';

/**
 * The contract of a subgraph: what its `index.ts` exports, and all that the scripts, the
 * CLI, migrations and tests know of it.
 */
export interface SubgraphModule {
  name: SubgraphName;
  definition: SubgraphDefinition;
  /** The subgraph's field rules (also `definition.rules`, which its shield is built from). */
  rules: RuleTable;
  /** Collections and indexes it keeps in every tenant database (what /internal/provision creates). */
  tenantSchemas: TenantSchemas;
  /** Runs after those exist in a tenant database, on every (idempotent) provisioning: state a new tenant starts with. */
  onProvision: (conn: Connection) => Promise<void>;
  /** Collections and indexes it keeps in the platform database (ensured when it starts). */
  platformSchemas: TenantSchemas;
  /** Subscription fields the gateway serves for it (subgraphs/subscriptions.ts gathers them). */
  subscriptions: SubscriptionRoutes;
  /** Domain events it emits (payload types included) and the consumers it runs (./<name>/events.ts; subgraphs/events.ts gathers them). */
  events: EventDeclarations;
  /** Variables the subgraph reads besides loadConfig's. */
  ENV_VARS: readonly string[];
  createServer(config: ServiceConfig, db?: DbManager, options?: any): Promise<RunningService>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each subgraph's createServer takes its own options type; the registry only forwards them
}

/**
 * The one registry of subgraphs, in a fixed order (composition and start-up): each entry is
 * the subgraph's `index.ts` itself. Keyed by SubgraphName (core/config.ts), so a name
 * without a subgraph here, or a subgraph missing part of the contract, does not compile.
 */
export const SUBGRAPHS: Record<SubgraphName, SubgraphModule> = { tenant, student, billing, credits, messaging };

const bySubgraph = <T>(pick: (s: SubgraphModule) => T) => Object.fromEntries(Object.values(SUBGRAPHS).map((s) => [s.name, pick(s)])) as Record<SubgraphName, T>;

/**
 * Every subgraph's tenant-database schemas, exactly what each subgraph's
 * /internal/provision creates, so CLI-created tenants equal API-created ones.
 */
export const SUBGRAPH_TENANT_SCHEMAS: Record<SubgraphName, TenantSchemas> = bySubgraph((s) => s.tenantSchemas);

/** Provisions a tenant database as every subgraph's /internal/provision does (CLI-created tenants equal API-created ones). */
export async function provisionAllSubgraphs(conn: Connection): Promise<void> {
  for (const s of Object.values(SUBGRAPHS)) {
    await provisionDatabase(conn, s.tenantSchemas);
    await s.onProvision(conn);
  }
}

/** Every subgraph's platform-database schemas (each subgraph ensures its own when it starts). */
export const SUBGRAPH_PLATFORM_SCHEMAS: Record<SubgraphName, TenantSchemas> = bySubgraph((s) => s.platformSchemas);
