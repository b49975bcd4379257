import type { CreditsContext } from './context';
import { AppError } from '../../core/errors';
import type { Channel } from './channel.type';
import type { LedgerDoc } from './ledger.model';
import { applyMovement, entryByKey, masterBook, tenantBook, type Head, type MovementResult } from './ledger.service';

/**
 * Moves credits from the platform master wallet to a tenant wallet: two chains in two
 * databases, no transaction. Why this is exact (crash-safe and idempotent):
 *
 *  1. Master debit, key `<masterKey>` (e.g. 'alloc:<idempotencyKey>'), target = tenant id.
 *     One insert: it happened or not. Not enough master credits → a 'rejected' entry,
 *     INSUFFICIENT_BALANCE, and the tenant is never touched.
 *  2. Tenant credit, key `<tenantKey>` (e.g. 'allocation:<idempotencyKey>'). One insert.
 *
 *  A crash (or a transient error) between 1 and 2 leaves the master debited and the tenant
 *  not yet credited — never the reverse, so the platform can never give away credits it
 *  does not hold. A retry with the same key re-runs both steps: step 1 finds its recorded
 *  entry (no second debit), step 2 inserts the missing credit or finds it (no second credit).
 *  So every retry completes whichever half is missing.
 *
 *  The tenant half "cannot happen" only if its key is already held by a DIFFERENT movement
 *  (CONFLICT: e.g. a pre-master allocation with the same key and another amount). Keys are
 *  never deleted, so that is final: the master debit is given back by a 'reversal' entry
 *  under key 'reversal:<masterKey>' (unique: once, however many requests see the conflict),
 *  carrying the negated revenue and cost so profit reports stay right. Transient failures
 *  are NOT compensated (a reversal racing a successful retry would double-spend); they are
 *  left for the retry, and are visible as master sales without a tenant entry.
 *
 * Sum over both ledgers: master balance + Σ tenant allocations/packages = Σ vendor purchases,
 * minus the credits of transfers in flight (step 1 done, step 2 not yet).
 */
export interface Transfer {
  tenantId: string;
  dbName: string;
  channel: Channel;
  credits: number;
  masterKey: string;
  tenantKey: string;
  /** Input field the key came from (CONFLICT errors). */
  keyField: string;
  reason: 'allocation' | 'package';
  /** Compared on retries of the tenant key (e.g. package id); the master side compares the tenant. */
  tenantTarget?: string;
  /**
   * Everything that identifies the transfer besides channel and amount (tenant id, package id):
   * a reused key must be refused here, at the master step, before anything moves — a CONFLICT
   * found only at the tenant step would (rightly) reverse the master debit.
   */
  masterTarget: string;
  reference: string;
  revenuePaise: number;
  note?: string;
  createdBy?: string;
}

/** Weighted average cost: a sale takes its share of the inventory value; the last credit takes the rest. */
export const saleCost = (credits: number) => (head: Head) => {
  const cost = head.balance <= credits ? head.inventory : Math.round((head.inventory * credits) / head.balance);
  return { costPaise: cost, inventoryPaise: head.inventory - cost };
};

export async function transferToTenant(ctx: CreditsContext, t: Transfer): Promise<MovementResult> {
  const master = masterBook(ctx.db.platform());
  await applyMovement(master, {
    key: t.masterKey,
    keyField: t.keyField,
    channel: t.channel,
    delta: -t.credits,
    reason: t.reason,
    reference: t.reference,
    note: t.note,
    createdBy: t.createdBy,
    target: t.masterTarget,
    fields: { revenuePaise: t.revenuePaise },
    derive: saleCost(t.credits),
    recordRejection: false,
  });
  try {
    return await applyMovement(tenantBook(ctx.db.tenant(t.dbName)), {
      key: t.tenantKey,
      keyField: t.keyField,
      channel: t.channel,
      delta: t.credits,
      reason: t.reason,
      reference: t.reference,
      note: t.note,
      createdBy: t.createdBy,
      target: t.tenantTarget,
    });
  } catch (err) {
    if (err instanceof AppError && err.extensions.code === 'CONFLICT') await reverseSale(ctx, t);
    throw err;
  }
}

/** Gives a master sale back (once), with its revenue and cost negated. */
async function reverseSale(ctx: CreditsContext, t: Transfer): Promise<void> {
  const master = masterBook(ctx.db.platform());
  const sale = (await entryByKey(master, t.masterKey)) as LedgerDoc | null;
  if (!sale || sale.status !== 'applied') return;
  const cost = sale.costPaise ?? 0;
  await applyMovement(master, {
    key: `reversal:${t.masterKey}`,
    keyField: t.keyField,
    channel: sale.channel,
    delta: -sale.delta,
    reason: 'reversal',
    reference: sale.reference,
    target: sale.target,
    createdBy: t.createdBy,
    fields: { revenuePaise: -(sale.revenuePaise ?? 0), costPaise: -cost },
    derive: (head) => ({ inventoryPaise: head.inventory + cost }),
  });
  ctx.log.warn({ key: t.masterKey }, 'credit transfer reversed: the tenant key was already used for another movement');
}
