import type { CreditsContext } from './context';
import { byIdLoader } from '../../core/store/by-id-loader';
import { vendorModel, type VendorDoc } from './vendor.model';

/** Vendors by id, one query per request batch. */
export const vendorLoader = (ctx: CreditsContext) => byIdLoader<VendorDoc>(ctx, 'credits.vendorById', { model: () => vendorModel(ctx.db.platform()) });
