import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface LibraryDoc {
  _id: Types.ObjectId;
  name: string;
  address?: string;
  city?: string;
  capacity: number;
  openingTime: string;
  closingTime: string;
  status: string;
  createdAt: Date;
}

export const librarySchema = new Schema<LibraryDoc>(
  {
    name: { type: String, required: true },
    address: String,
    city: String,
    capacity: { type: Number, required: true },
    openingTime: { type: String, required: true },
    closingTime: { type: String, required: true },
    status: { type: String, required: true, default: 'active' },
  },
  { collection: 'libraries', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
librarySchema.index({ status: 1, city: 1 });

export const libraryModel = (conn: Connection) => modelOn(conn, 'Library', librarySchema);

export const toLibrary = (d: LibraryDoc) => ({ ...d, id: d._id.toHexString() });
