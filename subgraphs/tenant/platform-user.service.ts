import type { Role } from '../../core/permissions/catalog';
import type { DbManager } from '../../core/tenancy/db';
import { hashPassword } from './auth.service';
import { platformUserModel } from './user.model';

/** Creates (or resets the password of) a platform user: used by the CLI, demo seed and tests. */
export async function upsertPlatformUser(
  db: DbManager,
  user: { email: string; name: string; password: string; role: Extract<Role, 'super_admin' | 'admin' | 'support'> },
): Promise<string> {
  const Users = platformUserModel(db.platform());
  const email = user.email.toLowerCase().trim();
  const doc = await Users.findOneAndUpdate(
    { email },
    { $set: { name: user.name, role: user.role, status: 'active', passwordHash: await hashPassword(user.password) } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return doc!._id.toHexString();
}
