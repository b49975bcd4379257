import type { ServiceConfig, SubgraphName } from '../core/config';
import type { SubgraphDefinition } from '../core/federation/build-subgraph';
import type { RuleTable } from '../core/permissions/rules';
import type { RunningService } from '../core/server/subgraph-server';
import type { SubscriptionRoutes } from '../core/federation/gateway-subscription';
import type { DbManager } from '../core/tenancy/db';
import type { TenantSchemas } from '../core/tenancy/provision';
import * as billing from './billing';
import * as credits from './credits';
import * as messaging from './messaging';
import * as student from './student';
import * as tenant from './tenant';

export { SUPERGRAPH_RULES } from './rules';
export { SUPERGRAPH_SUBSCRIPTIONS } from './subscriptions';

/** What every subgraph offers the scripts, the CLI, migrations and tests. */
export interface SubgraphModule {
  name: SubgraphName;
  definition: SubgraphDefinition;
  /** The subgraph's field rules (also `definition.rules`, which its shield is built from). */
  rules: RuleTable;
  /** Collections and indexes it keeps in every tenant database (what /internal/provision creates). */
  tenantSchemas: TenantSchemas;
  /** Subscription fields the gateway serves for it (subgraphs/subscriptions.ts gathers them). */
  subscriptions: SubscriptionRoutes;
  /** Variables the subgraph reads besides loadConfig's. */
  ENV_VARS: readonly string[];
  createServer(config: ServiceConfig, db?: DbManager, options?: any): Promise<RunningService>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

type SubgraphIndex = Pick<SubgraphModule, 'definition' | 'subscriptions' | 'ENV_VARS' | 'createServer'>;
const entry = (name: SubgraphName, mod: SubgraphIndex, tenantSchemas: TenantSchemas): SubgraphModule => ({
  name, definition: mod.definition, rules: mod.definition.rules, tenantSchemas, subscriptions: mod.subscriptions, ENV_VARS: mod.ENV_VARS, createServer: mod.createServer,
});

/**
 * The one registry of subgraphs, in a fixed order (composition and start-up). Keyed by
 * SubgraphName (core/config.ts), so a name without a subgraph here does not compile.
 */
export const SUBGRAPHS: Record<SubgraphName, SubgraphModule> = {
  tenant: entry('tenant', tenant, tenant.tenantSubgraphSchemas),
  student: entry('student', student, student.studentSubgraphSchemas),
  billing: entry('billing', billing, billing.billingSubgraphSchemas),
  credits: entry('credits', credits, credits.creditsTenantSchemas),
  messaging: entry('messaging', messaging, messaging.messagingTenantSchemas),
};

/**
 * Every subgraph's tenant-database schemas, exactly what each subgraph's
 * /internal/provision creates, so CLI-created tenants equal API-created ones.
 */
export const SUBGRAPH_TENANT_SCHEMAS: Record<SubgraphName, TenantSchemas> = Object.fromEntries(
  Object.values(SUBGRAPHS).map((s) => [s.name, s.tenantSchemas]),
) as Record<SubgraphName, TenantSchemas>;
