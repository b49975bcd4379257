import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** One rotating refresh token; `family` links every token issued from one login. */
export interface RefreshTokenDoc {
  _id: string; // sha256 of the token
  family: string;
  /** Hash of the token this one replaced (`root:<family>` after a login); unique, so a token can be spent once. */
  parent: string;
  userId: string;
  role: string;
  tenantId?: string;
  tenantSlug?: string;
  expiresAt: Date;
  usedAt?: Date | null;
  revokedAt?: Date | null;
}

export const refreshTokenSchema = new Schema<RefreshTokenDoc>(
  {
    _id: { type: String, required: true },
    family: { type: String, required: true, index: true },
    parent: { type: String, required: true, unique: true },
    userId: { type: String, required: true },
    role: { type: String, required: true },
    tenantId: String,
    tenantSlug: String,
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'refresh_tokens', versionKey: false, strictQuery: 'throw' },
);

// disableUser revokes every token of one user.
refreshTokenSchema.index({ userId: 1, tenantId: 1 });

export const refreshTokenModel = (platform: Connection) => modelOn(platform, 'RefreshToken', refreshTokenSchema);
