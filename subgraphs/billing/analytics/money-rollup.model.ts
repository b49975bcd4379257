import type { Connection } from 'mongoose';
import { rollupSchema } from '../../../core/store/period-rollup';
import { modelOn } from '../../../core/tenancy/db';

/** Closed days ('d:YYYY-MM-DD') and months ('m:YYYY-MM') of the dues ledger's facts, summed once (core/store/period-rollup.ts). */
export const moneyRollupSchema = rollupSchema('money_rollups');

export const moneyRollupModel = (conn: Connection) => modelOn(conn, 'MoneyRollup', moneyRollupSchema);

/** Copies of those sums by year of months and by open month of days, and the first-month marker: the few documents a report reads. */
export const moneyCheckpointSchema = rollupSchema('money_rollup_checkpoints');

export const moneyCheckpointModel = (conn: Connection) => modelOn(conn, 'MoneyRollupCheckpoint', moneyCheckpointSchema);
