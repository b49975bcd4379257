import type { ServiceConfig, SubgraphName } from '../core/config';
import type { SubgraphDefinition } from '../core/federation/build-subgraph';
import type { RunningService } from '../core/server/subgraph-server';
import type { DbManager } from '../core/tenancy/db';
import * as billing from '../subgraphs/billing';
import * as credits from '../subgraphs/credits';
import * as messaging from '../subgraphs/messaging';
import * as student from '../subgraphs/student';
import * as tenant from '../subgraphs/tenant';

export interface SubgraphModule {
  definition: SubgraphDefinition;
  createServer(config: ServiceConfig, db?: DbManager, options?: any): Promise<RunningService>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Every subgraph, in a fixed order (composition and start-up). */
export const SUBGRAPHS: Partial<Record<SubgraphName, SubgraphModule>> = { tenant, student, billing, credits, messaging };
