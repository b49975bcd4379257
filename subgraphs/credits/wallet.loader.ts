import DataLoader from 'dataloader';
import type { RequestContext } from '../../core/context';
import type { Channel } from './channel';
import { DEFAULT_THRESHOLD } from './wallet.model';
import { readWallet, tenantBook, type WalletState } from './wallet.service';
import type { Wallet } from './wallet.type';

/** Which tenant, and its database (resolved and access-checked by the caller). */
export interface WalletKey {
  id: string;
  dbName: string;
}

export const toWallet = (key: WalletKey, w: WalletState): Wallet => ({
  id: key.id,
  dbName: key.dbName,
  sms: w.heads.sms.balance,
  whatsapp: w.heads.whatsapp.balance,
  email: w.heads.email.balance,
  updatedAt: w.updatedAt,
  thresholds: {
    sms: w.thresholds.sms ?? DEFAULT_THRESHOLD,
    whatsapp: w.thresholds.whatsapp ?? DEFAULT_THRESHOLD,
    email: w.thresholds.email ?? DEFAULT_THRESHOLD,
  },
  heads: Object.fromEntries(Object.entries(w.heads).map(([c, h]) => [c, h.seq])) as Record<Channel, number>,
});

/** Per-request wallet reads: each tenant's wallet is read once per request. */
export const walletLoader = (ctx: RequestContext) =>
  ctx.memo('credits.walletByTenant', () =>
    new DataLoader<WalletKey, Wallet, string>(
      // One database per tenant: one read per distinct tenant is the minimum.
      (keys) => Promise.all(keys.map(async (k) => toWallet(k, await readWallet(tenantBook(ctx.db.tenant(k.dbName)))))),
      { cacheKeyFn: (k) => k.id },
    ),
  );
