import { Schema, type Connection } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { byIdLoader } from '../../core/store/by-id-loader';
import { modelOn } from '../../core/tenancy/db';

/** Platform-wide price of one credit per channel, in paise (platform database). */
export interface CreditRatesDoc {
  _id: string;
  sms?: number;
  whatsapp?: number;
  email?: number;
}

export const DEFAULT_RATES = { sms: 25, whatsapp: 60, email: 5 } as const;

export const creditRatesSchema = new Schema<CreditRatesDoc>(
  { _id: { type: String, required: true }, sms: Number, whatsapp: Number, email: Number },
  { collection: 'credit_rates', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const creditRatesModel = (platform: Connection) => modelOn(platform, 'CreditRates', creditRatesSchema);

/** Read once per request; any missing rate falls back to its default. */
export const loadRates = (ctx: RequestContext) =>
  ctx.memo('credits.rates', async () => {
    const doc = await creditRatesModel(ctx.db.platform()).findOne().lean<CreditRatesDoc>();
    return {
      sms: doc?.sms ?? DEFAULT_RATES.sms,
      whatsapp: doc?.whatsapp ?? DEFAULT_RATES.whatsapp,
      email: doc?.email ?? DEFAULT_RATES.email,
    };
  });

/** Per-tenant retail price overrides (platform database, _id = tenant id). */
export const tenantRatesSchema = new Schema<CreditRatesDoc>(
  { _id: { type: String, required: true }, sms: Number, whatsapp: Number, email: Number },
  { collection: 'credit_tenant_rates', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const tenantRatesModel = (platform: Connection) => modelOn(platform, 'CreditTenantRates', tenantRatesSchema);

export type Rates = { sms: number; whatsapp: number; email: number };

/** Overrides of many tenants in one query per request (e.g. `tenants { wallet { rates } }`). */
const overrideLoader = (ctx: RequestContext) =>
  byIdLoader<CreditRatesDoc>(ctx, 'credits.tenantRateOverrides', { model: () => tenantRatesModel(ctx.db.platform()), parse: (id) => id });

/** A tenant's price per credit: its override where set, else the platform rate. */
export async function tenantRates(ctx: RequestContext, tenantId: string): Promise<Rates> {
  const [base, own] = await Promise.all([loadRates(ctx), overrideLoader(ctx).load(tenantId)]);
  return { sms: own?.sms ?? base.sms, whatsapp: own?.whatsapp ?? base.whatsapp, email: own?.email ?? base.email };
}
