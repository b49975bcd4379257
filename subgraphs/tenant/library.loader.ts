import type { TenantContext } from './context';
import { byIdLoader } from '../../core/store/by-id-loader';
import { libraryModel, type LibraryDoc } from './library.model';
import { toLibrary } from './library.service';

/** Per-request batch of library lookups in the caller's tenant database. */
export const libraryLoader = (ctx: TenantContext) =>
  byIdLoader<LibraryDoc, ReturnType<typeof toLibrary>>(ctx, 'tenant.libraryById', {
    model: async () => libraryModel(await ctx.tenantDb()),
    view: toLibrary,
  });
