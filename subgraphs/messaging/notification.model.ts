import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface NotificationDoc {
  _id: Types.ObjectId;
  type: string;
  title: string;
  body: string;
  read: boolean;
  readAt?: Date | null;
  /** Addressee; null means every staff member of the tenant. */
  userId: string | null;
  /** The student it is about, if any. */
  studentId?: Types.ObjectId | null;
  /** The event it came from (e.g. `payment:<id>`): unique, so a redelivered event notifies once. */
  sourceKey: string;
  createdAt: Date;
}

export const notificationSchema = new Schema<NotificationDoc>(
  {
    type: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    read: { type: Boolean, required: true, default: false },
    readAt: { type: Date, default: null },
    userId: { type: String, default: null },
    studentId: { type: Schema.Types.ObjectId, default: null },
    sourceKey: { type: String, required: true, unique: true },
  },
  { collection: 'notifications', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// notifications(unreadOnly) for a user (own + tenant-wide), newest first.
notificationSchema.index({ userId: 1, read: 1, createdAt: -1 });
notificationSchema.index({ read: 1, createdAt: -1 });

export const notificationModel = (conn: Connection) => modelOn(conn, 'Notification', notificationSchema);
