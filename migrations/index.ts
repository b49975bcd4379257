import { ensureIndexes } from './001-ensure-indexes';
import { backfillAnalytics } from './002-backfill-analytics';
import { shiftsForSlotBookings } from './003-shifts-for-slot-bookings';
import { trustedDocumentsIndexes } from './004-trusted-documents';
import { encryptIdProofs } from './005-encrypt-id-proofs';
import { apiUsageIndexes } from './006-api-usage';
import { studentAnalyticsRollups } from './007-student-analytics-rollups';
import { moneyAnalyticsBackfill } from './008-money-analytics-backfill';
import type { Migration } from './types';

export type { Migration } from './types';

/** Applied in this order; append new ones, never reorder or rename. */
export const MIGRATIONS: Migration[] = [
  ensureIndexes,
  backfillAnalytics,
  shiftsForSlotBookings,
  trustedDocumentsIndexes,
  encryptIdProofs,
  apiUsageIndexes,
  studentAnalyticsRollups,
  moneyAnalyticsBackfill,
];
