import type { Connection, Types } from 'mongoose';
import { AppError } from '../errors';
import { modelOn } from './db';
import { tenantRegistry, type TenantRecord, type TenantStatus } from './registry';
import { changeStatus, statusClaimSchema } from './status-claims';

const claimSchema = statusClaimSchema('tenant_status_claims');

/** A tenant neither in the status the change starts from nor already where it goes. */
export class TenantStatusRefused extends AppError {
  constructor(
    readonly current: TenantStatus,
    from: TenantStatus,
  ) {
    super('BAD_USER_INPUT', `Tenant is ${current}, not ${from}`, { field: 'id' });
  }
}

/** Internal: the tenant already is where the change goes (answered as unchanged, never thrown out). */
class AlreadyThere extends AppError {
  constructor() {
    super('BAD_USER_INPUT', 'already there');
  }
}

/**
 * suspend (active → suspended) and reactivate (suspended → active), for the API and
 * the CLI alike. Through the status-claim chain (core/tenancy/status-claims.ts): on
 * FerretDB a conditional update is a separate read and write, so two racing changes
 * could both report success and announce contradicting events. Here exactly one
 * change wins each step; `changed` is false when the tenant already was at `to`.
 */
export async function changeTenantStatus(
  platform: Connection,
  _id: Types.ObjectId,
  to: 'active' | 'suspended',
): Promise<{ doc: TenantRecord; changed: boolean }> {
  const from: TenantStatus = to === 'suspended' ? 'active' : 'suspended';
  const Registry = tenantRegistry(platform);
  try {
    const doc = await changeStatus<TenantRecord>(Registry, modelOn(platform, 'TenantStatusClaim', claimSchema), _id, {
      from: [from],
      set: { status: to },
      entity: 'Tenant',
      refuse: (current) => (current === to ? new AlreadyThere() : new TenantStatusRefused(current as TenantStatus, from)),
    });
    return { doc, changed: true };
  } catch (err) {
    if (!(err instanceof AlreadyThere)) throw err;
    return { doc: (await Registry.findById(_id).lean<TenantRecord>())!, changed: false };
  }
}
