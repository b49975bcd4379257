import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { pageSize } from '../../core/pagination';
import { PUBLIC_TAG } from '../../core/federation/contract';
import type { TenantContext } from './context';
import { parseId } from '../../core/ids';
import { inLibraryScope } from '../../core/scope/library-scope';
import { CreateLibraryInput, LibrariesNearArgs, LibraryFilter, LibraryReasonArgs, UpdateLibraryInput } from './library.input';
import { libraryLoader } from './library.loader';
import { librariesNear } from './library-near.service';
import { createLibrary, listLibraries, transitionLibrary, updateLibrary } from './library.service';
import { Library, NearbyLibrary } from './library.type';

@Resolver(() => Library)
export class LibraryResolver {
  @Directive(PUBLIC_TAG)
  @Query(() => Library, { nullable: true })
  async library(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    parseId(id, 'id');
    // A branch-scoped manager or staff member sees their own libraries only.
    return inLibraryScope(ctx, id.toLowerCase()) ? libraryLoader(ctx).load(id) : null;
  }

  @Directive(PUBLIC_TAG)
  @Query(() => [Library])
  libraries(@Arg('filter', () => LibraryFilter, { nullable: true }) filter: LibraryFilter | undefined, @Ctx() ctx: TenantContext) {
    return listLibraries(ctx, filter);
  }

  @Query(() => [NearbyLibrary], { description: 'Active libraries within radiusKm of a point, nearest first.' })
  librariesNear(@Args() { lat, lng, radiusKm, first }: LibrariesNearArgs, @Ctx() ctx: TenantContext) {
    return librariesNear(ctx, lat, lng, radiusKm, pageSize(first));
  }

  @Mutation(() => Library, { description: 'ACTIVE when the caller may approve libraries, else PENDING_APPROVAL.' })
  createLibrary(@Arg('input', () => CreateLibraryInput) input: CreateLibraryInput, @Ctx() ctx: TenantContext) {
    return createLibrary(ctx, input);
  }

  @Mutation(() => Library)
  updateLibrary(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateLibraryInput) input: UpdateLibraryInput, @Ctx() ctx: TenantContext) {
    return updateLibrary(ctx, id, input);
  }

  @Mutation(() => Library, { description: 'PENDING_APPROVAL → ACTIVE.' })
  approveLibrary(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return transitionLibrary(ctx, id, 'approve');
  }

  @Mutation(() => Library, { description: 'PENDING_APPROVAL → REJECTED.' })
  rejectLibrary(@Arg('id', () => ID) id: string, @Args() { reason }: LibraryReasonArgs, @Ctx() ctx: TenantContext) {
    return transitionLibrary(ctx, id, 'reject', reason);
  }

  @Mutation(() => Library, { description: 'ACTIVE, INACTIVE or UNDER_MAINTENANCE → SUSPENDED.' })
  suspendLibrary(@Arg('id', () => ID) id: string, @Args() { reason }: LibraryReasonArgs, @Ctx() ctx: TenantContext) {
    return transitionLibrary(ctx, id, 'suspend', reason);
  }

  @Mutation(() => Library, { description: 'SUSPENDED → ACTIVE.' })
  reactivateLibrary(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return transitionLibrary(ctx, id, 'reactivate');
  }
}

export const resolveLibraryReference = (ref: Record<string, unknown>, ctx: TenantContext) =>
  typeof ref.id === 'string' ? libraryLoader(ctx).load(ref.id) : null;
