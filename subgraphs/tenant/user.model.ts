import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface UserDoc {
  _id: Types.ObjectId;
  email: string;
  name: string;
  passwordHash: string;
  role: string;
  status: string;
  /** Permission overrides on top of the role (tenant users only); carried in the access token as `prm`. */
  grant?: string[];
  revoke?: string[];
  /** Branch scope of a manager or staff member (library ids); empty = every library. Carried as `lib`. */
  libraryIds?: string[];
  createdAt: Date;
}

const userFields = {
  email: { type: String, required: true, unique: true, lowercase: true, trim: true },
  name: { type: String, required: true },
  passwordHash: { type: String, required: true },
  role: { type: String, required: true },
  status: { type: String, required: true, default: 'active' },
  grant: { type: [String], default: [] },
  revoke: { type: [String], default: [] },
  libraryIds: { type: [String], default: [] },
};
const options = { timestamps: true, versionKey: false, strictQuery: 'throw' } as const;

/** Tenant staff, in the tenant's database. */
export const userSchema = new Schema<UserDoc>(userFields, { ...options, collection: 'users' });
/** Platform staff (super_admin, admin, support), in the platform database. */
export const platformUserSchema = new Schema<UserDoc>(userFields, { ...options, collection: 'platform_users' });

export const userModel = (conn: Connection) => modelOn(conn, 'User', userSchema);
export const platformUserModel = (conn: Connection) => modelOn(conn, 'PlatformUser', platformUserSchema);
