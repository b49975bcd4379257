import { Types } from 'mongoose';
import { createContext } from '../../core/context';
import type { TenantDeps } from './context';
import type { DomainEvent } from '../../core/events';
import { startConsumer } from '../../core/events/outbox';
import { tenantById } from '../../core/tenancy/tenant-db';
import { accountClaimModel } from './account-claim.model';
import { claimOnce } from './account-claim.service';
import { sendPlatformMail } from './messaging.client';
import { userModel, type UserDoc } from './user.model';

const STEPS = new Set(['ISSUED', 'OVERDUE', 'SUSPENDED']);

/**
 * Billing's SaaS dunning (`saas.dunning`, published once per invoice and step)
 * reaches the tenant's owners by e-mail: this subgraph alone knows who they are.
 * One mail per owner and step however often the event is delivered (two tenant
 * instances, a redelivery): a unique claim per (invoice, step, owner) is taken
 * before sending and given back when the send fails, so the retry (durable
 * consumer `tenant.dunning`: backoff, then the dead letter) sends it.
 */
export function startDunningMailConsumer(deps: TenantDeps): () => Promise<void> {
  const consumer = startConsumer(deps, 'tenant.dunning', ({ event }) => mailOwners(deps, event));
  return () => consumer.stop();
}

async function mailOwners(deps: TenantDeps, e: DomainEvent<'saas.dunning'>): Promise<void> {
  const { tenantId, invoiceId, step, number, amountDue, dueAt, graceEndsAt, payUrl } = e;
  if (
    typeof tenantId !== 'string' ||
    !Types.ObjectId.isValid(tenantId) ||
    typeof invoiceId !== 'string' ||
    !STEPS.has(String(step)) ||
    typeof amountDue !== 'number' ||
    typeof payUrl !== 'string'
  ) {
    return void deps.log.warn({ tenantId }, 'malformed saas.dunning event ignored');
  }
  const found = await tenantById(deps.db, tenantId);
  if (!found) return;
  const { tenant, conn } = found;
  const owners = await userModel(conn).find({ role: 'owner', status: 'active' }).lean<UserDoc[]>();
  const ctx = createContext(deps, {});
  for (const owner of owners) {
    const claim = `dunning-mail:${invoiceId}:${String(step)}:${owner._id.toHexString()}`;
    if (!(await claimOnce(conn, claim))) continue;
    try {
      // The platform's mail (its token has no tenant scope): it reaches a suspended tenant's owners too.
      await sendPlatformMail(ctx, null, {
        to: owner.email,
        saasDunning: {
          step: String(step),
          accountName: tenant.name,
          invoiceNumber: String(number),
          amountDue,
          dueAt: String(dueAt),
          graceEndsAt: String(graceEndsAt),
          payUrl,
        },
      });
    } catch (err) {
      await accountClaimModel(conn).deleteOne({ _id: claim });
      throw err;
    }
  }
}
