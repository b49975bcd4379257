import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/**
 * One tenant's figures that live in other subgraphs' databases (students, collected revenue),
 * copied into the platform database by the rollup (tenant-snapshot.service.ts), upserted by
 * tenant id: platformTotals sums these instead of opening every tenant database per request.
 */
export interface TenantSnapshotDoc {
  /** The tenant's id. */
  _id: string;
  students: number;
  activeStudents: number;
  /** Paid fee revenue, paise, all time; 0 while the payments module is off. */
  revenueCollected: number;
  at: Date;
}

export const tenantSnapshotSchema = new Schema<TenantSnapshotDoc>(
  {
    _id: { type: String, required: true },
    students: { type: Number, required: true },
    activeStudents: { type: Number, required: true },
    revenueCollected: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'platform_tenant_snapshots', versionKey: false, strictQuery: 'throw' },
);

export const tenantSnapshotModel = (conn: Connection) => modelOn(conn, 'TenantSnapshot', tenantSnapshotSchema);
