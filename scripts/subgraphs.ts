import { CONFIG_ENV_VARS, type ServiceConfig, type SubgraphName } from '../core/config';
import type { SubgraphDefinition } from '../core/federation/build-subgraph';
import type { RunningService } from '../core/server/subgraph-server';
import type { DbManager } from '../core/tenancy/db';
import { ENV_VARS as GATEWAY_ENV_VARS } from '../gateway';
import * as billing from '../subgraphs/billing';
import * as credits from '../subgraphs/credits';
import * as messaging from '../subgraphs/messaging';
import * as student from '../subgraphs/student';
import * as tenant from '../subgraphs/tenant';

export interface SubgraphModule {
  definition: SubgraphDefinition;
  /** Variables the subgraph reads besides loadConfig's. */
  ENV_VARS: readonly string[];
  createServer(config: ServiceConfig, db?: DbManager, options?: any): Promise<RunningService>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Every subgraph, in a fixed order (composition and start-up). */
export const SUBGRAPHS: Partial<Record<SubgraphName, SubgraphModule>> = { tenant, student, billing, credits, messaging };

/** Every environment variable `service` reads: loadConfig's and its own (docker-compose.yml must pass each). */
export function serviceEnvVars(service: SubgraphName | 'gateway'): string[] {
  const own = service === 'gateway' ? GATEWAY_ENV_VARS : SUBGRAPHS[service]?.ENV_VARS ?? [];
  return [...new Set([...CONFIG_ENV_VARS, ...own])];
}
