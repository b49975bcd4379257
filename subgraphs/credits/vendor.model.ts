import { Schema, Types, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';
import type { Channel } from './channel.type';

/** A supplier the platform buys credits of one channel from (platform database). */
export interface VendorDoc {
  _id: Types.ObjectId;
  name: string;
  channel: Channel;
  /** Current price; each purchase records the cost it was bought at. */
  costPaisePerCredit: number;
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

export const vendorSchema = new Schema<VendorDoc>(
  {
    name: { type: String, required: true },
    channel: { type: String, required: true, enum: ['sms', 'whatsapp', 'email'] },
    costPaisePerCredit: { type: Number, required: true },
    createdBy: String,
  },
  { collection: 'credit_vendors', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// One vendor per name and channel (a second create is a CONFLICT, not a duplicate).
vendorSchema.index({ name: 1, channel: 1 }, { unique: true });
vendorSchema.index({ createdAt: -1 });

export const vendorModel = (platform: Connection) => modelOn(platform, 'CreditVendor', vendorSchema);
