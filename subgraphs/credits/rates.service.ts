import type { CreditsContext } from './context';
import { notFound } from '../../core/errors';
import { findTenant } from '../../core/tenancy/registry';
import type { Channel } from './channel.type';
import { rateOverrideLoader } from './rates.loader';
import { creditRatesModel, tenantRatesModel, type CreditRatesDoc } from './rates.model';

export const DEFAULT_RATES = { sms: 25, whatsapp: 60, email: 5 } as const;

export type Rates = { sms: number; whatsapp: number; email: number };

/** Read once per request; any missing rate falls back to its default. */
export const loadRates = (ctx: CreditsContext): Promise<Rates> =>
  ctx.memo('credits.rates', async () => {
    const doc = await creditRatesModel(ctx.db.platform()).findOne().lean<CreditRatesDoc>();
    return {
      sms: doc?.sms ?? DEFAULT_RATES.sms,
      whatsapp: doc?.whatsapp ?? DEFAULT_RATES.whatsapp,
      email: doc?.email ?? DEFAULT_RATES.email,
    };
  });

/** A tenant's price per credit: its override where set, else the platform rate. */
export async function tenantRates(ctx: CreditsContext, tenantId: string): Promise<Rates> {
  const [base, own] = await Promise.all([loadRates(ctx), rateOverrideLoader(ctx).load(tenantId)]);
  return { sms: own?.sms ?? base.sms, whatsapp: own?.whatsapp ?? base.whatsapp, email: own?.email ?? base.email };
}

/** Sets one tenant's override for a channel; returns its rates. */
export async function setTenantRate(ctx: CreditsContext, tenantId: string, channel: Channel, ratePaise: number): Promise<Rates> {
  if (!(await findTenant(ctx.db.platform(), { id: tenantId }))) throw notFound('Tenant');
  const own = await tenantRatesModel(ctx.db.platform())
    .findOneAndUpdate({ _id: tenantId }, { $set: { [channel]: ratePaise } }, { upsert: true, returnDocument: 'after' })
    .lean<CreditRatesDoc>();
  const base = await loadRates(ctx);
  return { sms: own?.sms ?? base.sms, whatsapp: own?.whatsapp ?? base.whatsapp, email: own?.email ?? base.email };
}
