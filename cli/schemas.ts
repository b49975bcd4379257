import type { TenantSchemas } from '../core/tenancy/provision';
import { billingSubgraphSchemas } from '../subgraphs/billing';
import { creditsTenantSchemas } from '../subgraphs/credits';
import { messagingTenantSchemas } from '../subgraphs/messaging';
import { studentSubgraphSchemas } from '../subgraphs/student';
import { tenantSubgraphSchemas } from '../subgraphs/tenant/tenant.resolver';

/**
 * Every subgraph's tenant-database schemas, exactly what each subgraph's
 * /internal/provision creates, so CLI-created tenants equal API-created ones.
 */
export const SUBGRAPH_TENANT_SCHEMAS: Record<string, TenantSchemas> = {
  tenant: tenantSubgraphSchemas,
  student: studentSubgraphSchemas,
  billing: billingSubgraphSchemas,
  credits: creditsTenantSchemas,
  messaging: messagingTenantSchemas,
};
