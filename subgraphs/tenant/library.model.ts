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
  statusReason?: string | null;
  /** Status changes so far (library-status.service.ts): the next one claims statusSeq + 1. */
  statusSeq?: number;
  latitude?: number | null;
  longitude?: number | null;
  amenities?: string[];
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
    statusReason: { type: String, default: null },
    statusSeq: { type: Number, default: 0 },
    // Plain numbers, not GeoJSON: FerretDB has no 2dsphere; librariesNear uses a bounding box on this index.
    latitude: { type: Number, default: null },
    longitude: { type: Number, default: null },
    amenities: { type: [String], default: [] },
  },
  { collection: 'libraries', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
librarySchema.index({ status: 1, city: 1 });
librarySchema.index({ status: 1, latitude: 1, longitude: 1 });

export const libraryModel = (conn: Connection) => modelOn(conn, 'Library', librarySchema);
