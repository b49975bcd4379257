import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PUBLIC_TAG } from '../../core/federation/contract';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { claimSlot, releaseSlot } from '../../core/tenancy/quota';
import { CreateLibraryInput, LibraryFilter, UpdateLibraryInput } from './library.input';
import { libraryLoader } from './library.loader';
import { libraryModel, toLibrary, type LibraryDoc } from './library.model';
import { Library } from './library.type';

@Resolver(() => Library)
export class LibraryResolver {
  @Directive(PUBLIC_TAG)
  @Query(() => Library, { nullable: true })
  async library(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    parseId(id, 'id');
    return libraryLoader(ctx).load(id);
  }

  @Directive(PUBLIC_TAG)
  @Query(() => [Library])
  async libraries(
    @Arg('filter', () => LibraryFilter, { nullable: true }) filter: LibraryFilter | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    const Library = libraryModel(await ctx.tenantDb());
    const query: Record<string, string> = {};
    if (filter?.status) query.status = filter.status;
    if (filter?.city) query.city = filter.city;
    const docs = await Library.find(query).sort({ name: 1 }).limit(500).lean<LibraryDoc[]>();
    return docs.map(toLibrary);
  }

  @Mutation(() => Library)
  async createLibrary(@Arg('input', () => CreateLibraryInput) input: CreateLibraryInput, @Ctx() ctx: RequestContext) {
    const tenant = await ctx.tenant();
    const conn = await ctx.tenantDb();
    const Library = libraryModel(conn);
    const slot = await claimSlot(conn, 'tenant_quotas', 'libraries', tenant.limits.maxLibraries, () => Library.countDocuments());
    try {
      const doc = await Library.create({ ...input, status: 'active' });
      return toLibrary(doc.toObject());
    } catch (err) {
      await releaseSlot(conn, 'tenant_quotas', slot);
      throw err;
    }
  }

  @Mutation(() => Library)
  async updateLibrary(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateLibraryInput) input: UpdateLibraryInput,
    @Ctx() ctx: RequestContext,
  ) {
    const _id = parseId(id, 'id');
    const Library = libraryModel(await ctx.tenantDb());
    const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
    const doc = await Library.findOneAndUpdate({ _id }, { $set: set }, { returnDocument: 'after' }).lean<LibraryDoc>();
    if (!doc) throw notFound('Library');
    return toLibrary(doc);
  }
}

export const resolveLibraryReference = (ref: Record<string, unknown>, ctx: RequestContext) =>
  typeof ref.id === 'string' ? libraryLoader(ctx).load(ref.id) : null;
