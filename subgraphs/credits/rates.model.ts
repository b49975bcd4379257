import { Schema, type Connection } from 'mongoose';
import type { RequestContext } from '../../core/context';
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
