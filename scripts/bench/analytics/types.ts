import type { Connection, Types } from 'mongoose';

/**
 * The analytics benchmark (issue 18): one tenant with 10,000 students and a
 * year of history, then every analytics query timed through the gateway.
 * Each domain contributes a part (a seeder that writes its own collections
 * in bulk, straight to the tenant database, and the GraphQL cases to time);
 * `parts.ts` lists them and `run.ts` runs them.
 */
export interface AnalyticsBenchTenant {
  tenantId: string;
  slug: string;
  /** Owner access token for the gateway. */
  token: string;
  /** The tenant's own database (seeders write their collections here). */
  conn: Connection;
  libraryIds: Types.ObjectId[];
  studentIds: Types.ObjectId[];
  /** The year of history: [from, to). */
  from: Date;
  to: Date;
}

export interface AnalyticsCase {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface AnalyticsBenchPart {
  name: string;
  /** Writes this domain's history for the tenant (after students exist); idempotent per tenant. */
  seed(t: AnalyticsBenchTenant): Promise<void>;
  cases(t: AnalyticsBenchTenant): AnalyticsCase[];
}
