import type { Connection } from 'mongoose';

/**
 * A versioned data migration applied to every tenant database. `up` must be
 * idempotent (an interrupted run repeats it); `pending` counts what `up` would
 * change, for --dry-run.
 */
export interface Migration {
  /** Sortable, never renamed: `NNN-short-name`. */
  id: string;
  description: string;
  pending(conn: Connection): Promise<number>;
  up(conn: Connection): Promise<number>;
}
