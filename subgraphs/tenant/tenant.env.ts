import { z } from 'zod';
import { storageEnv } from '../../core/storage/config';

/** The tenant subgraph's own variables (core/config.ts loadServiceEnv; its ENV_VARS are these keys). */
export const tenantEnv = {
  // Base domain of platform-hosted tenants (`<slug>.<domain>`).
  PLATFORM_DOMAIN: z.string().min(1).default('studyspot.app'),
  // Audit log retention (audit-retention.job.ts): entries older than this are deleted.
  AUDIT_RETENTION_DAYS: z.coerce.number().min(0).default(365),
  // Sweep over every tenant database on a timer; 0 = only after writes.
  AUDIT_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  // Partner API usage (api-usage-retention.job.ts): raw log entries, then the daily aggregates, are deleted after these many days.
  API_USAGE_RETENTION_DAYS: z.coerce.number().min(0).default(90),
  API_USAGE_DAILY_RETENTION_DAYS: z.coerce.number().min(0).default(400),
  // Period of the usage retention sweep over every tenant database; 0 = off.
  API_USAGE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  // Sales desk follow-ups (crm/lead-reminder.job.ts): how often due tasks are mailed to their assignees; 0 = off.
  CRM_REMINDER_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  // Platform totals (platform-totals/tenant-snapshot.job.ts): how often every active tenant's students and revenue are copied into the platform database; 0 = off.
  PLATFORM_ROLLUP_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  // Partner API keys (apikey-expiry.job.ts): how often keys about to expire are announced (notification, webhook); 0 = off.
  APIKEY_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  // How many days before its expiry a key is announced, once.
  APIKEY_EXPIRY_NOTICE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  // Lifetime of a password reset code (account-limits.service.ts).
  PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().min(1).default(900),
  // Object storage for library photos and the tenant logo (core/storage/config.ts).
  ...storageEnv,
};
