import type { Connection } from 'mongoose';
import { rollupSchema } from '../../core/store/period-rollup';
import { modelOn } from '../../core/tenancy/db';

/** Closed days ('d:YYYY-MM-DD') and months ('m:YYYY-MM') of message debits and refunds, summed once (core/store/period-rollup.ts). */
export const usageRollupSchema = rollupSchema('credit_usage_rollups');

export const usageRollupModel = (conn: Connection) => modelOn(conn, 'CreditUsageRollup', usageRollupSchema);

/** Copies of those sums by year of months and by month of days: the few documents a report reads. */
export const usageCheckpointSchema = rollupSchema('credit_usage_checkpoints');

export const usageCheckpointModel = (conn: Connection) => modelOn(conn, 'CreditUsageCheckpoint', usageCheckpointSchema);
