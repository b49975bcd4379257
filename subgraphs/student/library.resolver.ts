import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { StudentContext } from './context';
import { assertLibraryInScope } from '../../core/scope/library-scope';
import { occupiedLoader } from './library.loader';
import { occupancyOf } from './library.service';
import { ownedLibrary } from './tenant.client';
import { Library, Occupancy } from './library.type';

@Resolver(() => Library)
export class LibraryResolver {
  /** `capacity` arrives in the representation (@requires); occupied comes from open attendance. */
  @FieldResolver(() => Occupancy)
  async occupancy(@Root() lib: Library, @Ctx() ctx: StudentContext): Promise<Occupancy> {
    // Occupancy of another branch is refused (the library itself is the tenant subgraph's, not protected).
    assertLibraryInScope(ctx, lib.id.toLowerCase());
    const occupied = await occupiedLoader(ctx).load(lib.id);
    return occupancyOf(lib.id, lib.capacity, occupied);
  }
}

/** Only a library of the caller's tenant (asked of the tenant subgraph, its owner); `capacity` comes with the representation. */
export async function resolveLibraryReference(ref: Record<string, unknown>, ctx: StudentContext) {
  const lib = await ownedLibrary(ref, ctx);
  return lib && { ...lib, capacity: typeof ref.capacity === 'number' ? ref.capacity : 0 };
}
