import type { CreditsContext } from './context';
import { byIdLoader } from '../../core/store/by-id-loader';
import { creditPackageModel, type CreditPackageDoc } from './package.model';

/** Packages by id, one query per request batch. */
export const packageLoader = (ctx: CreditsContext) =>
  byIdLoader<CreditPackageDoc>(ctx, 'credits.packageById', { model: () => creditPackageModel(ctx.db.platform()) });
