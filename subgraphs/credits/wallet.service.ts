import type { CreditsContext } from './context';
import { AppError, notFound } from '../../core/errors';
import { findTenant } from '../../core/tenancy/registry';
import { CHANNELS, type Channel } from './channel.type';
import { listLedger, snapshot, tenantBook, walletReads, type WalletReads } from './ledger.service';
import { tenantRates } from './rates.service';
import { transferToTenant } from './transfer.service';
import type { AllocateCreditsInput } from './wallet.input';
import { WALLET_ID } from './wallet.model';

/** Messaging's historical hard-coded low-balance threshold, now the default. */
export const DEFAULT_THRESHOLD = 10;

/** Which tenant, and its database (resolved and access-checked by the caller). */
export interface WalletKey {
  id: string;
  dbName: string;
}

/**
 * What a `Wallet` resolves from: the tenant and its wallet's lazy reads. The balance
 * fields (wallet-balance.resolver.ts) read only the channels a query selects.
 */
export interface WalletSource extends WalletKey {
  reads: WalletReads;
}

export const walletOf = (key: WalletKey, ctx: CreditsContext): WalletSource => ({ ...key, reads: walletReads(tenantBook(ctx.db.tenant(key.dbName))) });

/** Chain heads of every channel, as the ledger listing starts from them. */
export const headSeqs = async (w: WalletSource): Promise<Record<Channel, number>> =>
  Object.fromEntries(await Promise.all(CHANNELS.map(async (c) => [c, (await w.reads.head(c)).seq]))) as Record<Channel, number>;

/** Per-request wallets: each tenant's wallet is read once per request, whoever asks (Query.wallet, Tenant.wallet, creditLedger). */
export const requestWallet = (ctx: CreditsContext, key: WalletKey): WalletSource => ctx.memo(`credits.wallet:${key.id}`, () => walletOf(key, ctx));

/** The caller's tenant wallet. */
export async function callerWallet(ctx: CreditsContext): Promise<WalletSource> {
  const tenant = await ctx.tenant();
  return requestWallet(ctx, { id: tenant._id.toHexString(), dbName: tenant.dbName });
}

/** Applied movements of a wallet, newest first, from the chain heads its balances were read at. */
export async function walletLedger(ctx: CreditsContext, wallet: WalletSource, limit: number, channel?: Channel) {
  return listLedger(tenantBook(ctx.db.tenant(wallet.dbName)).ledger, await headSeqs(wallet), limit, channel);
}

/** The caller's tenant ledger (Query.creditLedger). */
export async function callerLedger(ctx: CreditsContext, limit: number, channel?: Channel) {
  // The ledger is listed back from the chain heads the balances were read at.
  const wallet = await callerWallet(ctx);
  return listLedger(tenantBook(await ctx.tenantDb()).ledger, await headSeqs(wallet), limit, channel);
}

/** Moves credits from the master wallet to a tenant (platform); a repeated idempotencyKey allocates once. */
export async function allocateCredits(ctx: CreditsContext, input: AllocateCreditsInput): Promise<WalletSource> {
  const tenant = await findTenant(ctx.db.platform(), { id: input.tenantId });
  if (!tenant) throw notFound('Tenant');
  // Its database (and the ledger's unique key index) may not exist yet.
  if (tenant.status === 'provisioning') throw new AppError('SERVICE_UNAVAILABLE', 'This tenant is still being provisioned');
  const rates = await tenantRates(ctx, input.tenantId);
  await transferToTenant(ctx, {
    tenantId: input.tenantId,
    dbName: tenant.dbName,
    channel: input.channel,
    credits: input.amount,
    masterKey: `alloc:${input.idempotencyKey}`,
    // The pre-master key format: old allocations keep answering their retries.
    tenantKey: `allocation:${input.idempotencyKey}`,
    keyField: 'idempotencyKey',
    reason: 'allocation',
    masterTarget: input.tenantId,
    reference: input.idempotencyKey,
    revenuePaise: input.amount * rates[input.channel],
    note: input.note,
    createdBy: ctx.auth?.sub,
  });
  return walletOf({ id: input.tenantId, dbName: tenant.dbName }, ctx);
}

/** Sets the caller's low-balance threshold for one channel. */
export async function setLowBalanceThreshold(ctx: CreditsContext, channel: Channel, credits: number): Promise<WalletSource> {
  const tenant = await ctx.tenant();
  const book = tenantBook(await ctx.tenantDb());
  await snapshot(book); // creates the wallet document on first use
  await book.hints.updateOne({ _id: WALLET_ID }, { $set: { [`thresholds.${channel}`]: credits } });
  return walletOf({ id: tenant._id.toHexString(), dbName: tenant.dbName }, ctx);
}
