import { SUBGRAPH_TENANT_SCHEMAS } from '../subgraphs/registry';
import { indexMigration } from './index-migration';

/** Every collection and index the subgraphs declare (tenants created before they were added). */
export const ensureIndexes = indexMigration(
  '001-ensure-indexes',
  'Create every collection and index the subgraphs declare (same as provisioning)',
  Object.values(SUBGRAPH_TENANT_SCHEMAS),
);
