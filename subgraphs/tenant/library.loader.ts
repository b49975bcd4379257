import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { oneBatch } from '../../core/db-batch';
import { tryParseId } from '../../core/ids';
import { libraryModel, toLibrary, type LibraryDoc } from './library.model';

/** Per-request batch of library lookups in the caller's tenant database. */
export const libraryLoader = (ctx: RequestContext) =>
  ctx.memo('tenant.libraryById', () =>
    new DataLoader<string, ReturnType<typeof toLibrary> | null>(async (ids) => {
      const oids = ids.map(tryParseId).filter((x) => x !== null);
      const Library = libraryModel(await ctx.tenantDb());
      const docs = await Library.find({ _id: trusted({ $in: oids }) }).batchSize(oneBatch(oids.length)).lean<LibraryDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), toLibrary(d)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  );
