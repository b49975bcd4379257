import type { Connection, Types } from 'mongoose';
import type { AppError } from '../../core/errors';
import { modelOn } from '../../core/tenancy/db';
import { changeStatus, statusClaimSchema } from '../../core/tenancy/status-claims';
import { libraryModel, type LibraryDoc } from './library.model';

const claimModel = (conn: Connection) => modelOn(conn, 'LibraryStatusClaim', statusClaimSchema('library_status_claims'));

export interface LibraryStatusChange {
  from: readonly string[];
  to: string;
  reason: string | null;
  refuse: (current: string) => AppError;
}

/** Every library status change, one at a time (core/tenancy/status-claims.ts). */
export function changeLibraryStatus(conn: Connection, _id: Types.ObjectId, change: LibraryStatusChange): Promise<LibraryDoc> {
  return changeStatus<LibraryDoc>(libraryModel(conn), claimModel(conn), _id, {
    from: change.from,
    set: { status: change.to, statusReason: change.reason },
    refuse: change.refuse,
    entity: 'Library',
  });
}
