import type { RequestContext } from '../../core/context';
import { CHANNELS, type Channel } from './channel';
import { tenantBook, walletReads, type WalletReads } from './ledger.service';

/** Which tenant, and its database (resolved and access-checked by the caller). */
export interface WalletKey {
  id: string;
  dbName: string;
}

/**
 * What a `Wallet` resolves from: the tenant and its wallet's lazy reads. The balance
 * fields (wallet.balance.resolver.ts) read only the channels a query selects.
 */
export interface WalletSource extends WalletKey {
  reads: WalletReads;
}

export const walletOf = (key: WalletKey, ctx: RequestContext): WalletSource => ({ ...key, reads: walletReads(tenantBook(ctx.db.tenant(key.dbName))) });

/** Chain heads of every channel, as the ledger listing starts from them. */
export const headSeqs = async (w: WalletSource): Promise<Record<Channel, number>> =>
  Object.fromEntries(await Promise.all(CHANNELS.map(async (c) => [c, (await w.reads.head(c)).seq]))) as Record<Channel, number>;

/** Per-request wallets: each tenant's wallet is read once per request, whoever asks (Query.wallet, Tenant.wallet, creditLedger). */
export const requestWallet = (ctx: RequestContext, key: WalletKey): WalletSource => ctx.memo(`credits.wallet:${key.id}`, () => walletOf(key, ctx));
