import { apiUsageChainSchema, apiUsageCountedSchema, apiUsageDailySchema } from '../subgraphs/tenant/api-usage.model';
import { indexMigration } from './index-migration';

/**
 * Partner API usage (docs/partners.md "Usage"): the daily aggregates, their chain (whose
 * unique (chain, seq) and key indexes make concurrent counting exact) and the counted
 * markers, for tenants provisioned before they existed (001 ran for them already).
 */
export const apiUsageIndexes = indexMigration('006-api-usage', 'Create the partner API usage aggregates, their chain and unique indexes', [
  { ApiUsageDaily: apiUsageDailySchema, ApiUsageCounted: apiUsageCountedSchema, ApiUsageChain: apiUsageChainSchema },
]);
