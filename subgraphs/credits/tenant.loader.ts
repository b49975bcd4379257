import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { CreditsContext } from './context';
import { oneBatch } from '../../core/db-batch';
import { tryParseId } from '../../core/ids';
import { isPlatformRole } from '../../core/permissions/catalog';
import { tenantRegistry, type TenantRecord } from '../../core/tenancy/registry';
import type { Tenant } from './tenant.type';

/**
 * Tenant references the caller may see, with their database: platform roles any
 * existing tenant (one registry query per batch), tenant users only their own.
 */
export const tenantRefLoader = (ctx: CreditsContext) =>
  ctx.memo(
    'credits.tenantRef',
    () =>
      new DataLoader<string, Tenant | null>(async (ids) => {
        const auth = ctx.auth;
        if (!auth) return ids.map(() => null);
        if (!isPlatformRole(auth.role)) {
          const tid = auth.tid;
          const own = tid && ids.includes(tid) ? await ctx.tenant() : null;
          return ids.map((id) => (own && id === tid ? { id, dbName: own.dbName } : null));
        }
        const oids = ids.map(tryParseId).filter((x) => x !== null);
        const docs = await tenantRegistry(ctx.db.platform())
          .find({ _id: trusted({ $in: oids }) })
          .select({ dbName: 1 })
          .batchSize(oneBatch(oids.length))
          .lean<Pick<TenantRecord, '_id' | 'dbName'>[]>();
        const byId = new Map(docs.map((d) => [d._id.toHexString(), d.dbName]));
        return ids.map((id) => {
          const dbName = byId.get(id);
          return dbName ? { id, dbName } : null;
        });
      }),
  );
