/** Settings of the domain-event outbox (EVENTS_* in core/config.ts). */
export interface OutboxOptions {
  /** How often an idle consumer looks for due deliveries (the wake-up over pub/sub is only a shortcut). */
  pollMs: number;
  /** How long one attempt may run before another process may take the delivery over. */
  leaseMs: number;
  /** Attempts before a delivery is dead-lettered (per replay). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt, ±50 % jitter, capped at backoffMaxMs. */
  backoffMs: number;
  backoffMaxMs: number;
  /** Deliveries claimed per poll and run concurrently by one process. */
  batchSize: number;
  /** Done deliveries and old claims are deleted after this many days (0 = keep). */
  retentionDays: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  pollMs: 1000,
  leaseMs: 30_000,
  maxAttempts: 8,
  backoffMs: 1000,
  backoffMaxMs: 300_000,
  batchSize: 10,
  retentionDays: 7,
};
