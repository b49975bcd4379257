import type { CreditsContext } from './context';
import { byIdLoader } from '../../core/store/by-id-loader';
import { tenantRatesModel, type CreditRatesDoc } from './rates.model';

/** Overrides of many tenants in one query per request (e.g. `tenants { wallet { rates } }`). */
export const rateOverrideLoader = (ctx: CreditsContext) =>
  byIdLoader<CreditRatesDoc>(ctx, 'credits.tenantRateOverrides', { model: () => tenantRatesModel(ctx.db.platform()), parse: (id) => id });
