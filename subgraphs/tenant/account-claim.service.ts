import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../core/store/duplicate-key';
import { accountClaimModel } from './account-claim.model';

/** True for the one caller that spends `key`; false when it was spent before. */
export async function claimOnce(conn: Connection, key: string): Promise<boolean> {
  try {
    await accountClaimModel(conn).create({ _id: key, at: new Date() });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
