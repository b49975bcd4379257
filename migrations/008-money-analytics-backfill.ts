import { backfillMoneyFacts, moneyBackfillPending } from '../subgraphs/billing/analytics/money-backfill.service';
import type { Migration } from './types';

/**
 * Money analytics for a tenant's history (docs/flows/analytics.md#money): dues entries
 * written before the collections and revenue reports existed get their facts, and the
 * periods they fall in are summed again from the ledger. Counts the entries still
 * without facts; 0 once done (and for every tenant created since).
 */
export const moneyAnalyticsBackfill: Migration = {
  id: '008-money-analytics-backfill',
  description: 'Give dues entries from before the money analytics their facts, and restate the collections and revenue sums of their days and months',
  pending: moneyBackfillPending,
  up: (conn) => backfillMoneyFacts(conn),
};
