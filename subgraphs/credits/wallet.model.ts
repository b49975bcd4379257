import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';
import type { Channel } from './channel.type';

/** The one wallet document of a tenant database. */
export const WALLET_ID = 'wallet';

/**
 * A snapshot of each channel's chain head (see ledger.service.ts): where to start
 * looking for the head. Never trusted for money: every read verifies it.
 */
export interface WalletDoc {
  _id: string;
  sms: number;
  whatsapp: number;
  email: number;
  /** Sequence number of the ledger entry each balance above was taken from. */
  seq?: Partial<Record<Channel, number>>;
  /** Tenant wallets: low-balance threshold per channel (default DEFAULT_THRESHOLD, wallet.service.ts). */
  thresholds?: Partial<Record<Channel, number>>;
  createdAt?: Date;
  updatedAt?: Date;
}

const makeWalletSchema = (collection: string) =>
  new Schema<WalletDoc>(
    {
      _id: { type: String, required: true },
      sms: { type: Number, required: true, default: 0 },
      whatsapp: { type: Number, required: true, default: 0 },
      email: { type: Number, required: true, default: 0 },
      seq: { sms: Number, whatsapp: Number, email: Number },
      thresholds: { sms: Number, whatsapp: Number, email: Number },
    },
    { collection, timestamps: true, versionKey: false, strictQuery: 'throw' },
  );

export const walletSchema = makeWalletSchema('wallets');
/** Head hints of the platform master wallet (platform database), document WALLET_ID. */
export const masterWalletSchema = makeWalletSchema('credit_master_wallet');

// Model names are prefixed: subgraphs share tenant connections (and their model registry) in-process.
export const walletModel = (conn: Connection) => modelOn(conn, 'CreditWallet', walletSchema);
export const masterWalletModel = (platform: Connection) => modelOn(platform, 'CreditMasterWallet', masterWalletSchema);
