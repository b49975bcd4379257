import { Schema, Types, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';
import type { Channel } from './channel.type';

/** A credit pack tenants can buy (platform database, platform-managed). */
export interface CreditPackageDoc {
  _id: Types.ObjectId;
  channel: Channel;
  credits: number;
  pricePaise: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const creditPackageSchema = new Schema<CreditPackageDoc>(
  {
    channel: { type: String, required: true, enum: ['sms', 'whatsapp', 'email'] },
    credits: { type: Number, required: true },
    pricePaise: { type: Number, required: true },
    active: { type: Boolean, required: true, default: true },
  },
  { collection: 'credit_packages', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
creditPackageSchema.index({ active: 1, channel: 1, credits: 1 });
creditPackageSchema.index({ channel: 1, credits: 1 });

export const creditPackageModel = (platform: Connection) => modelOn(platform, 'CreditPackage', creditPackageSchema);
