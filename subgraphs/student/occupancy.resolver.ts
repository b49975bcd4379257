import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { servedByGateway } from '../../core/federation/gateway-subscription';
import { Library } from './library.type';

@Resolver()
export class OccupancySubscriptionResolver {
  @Subscription(() => Library, {
    description:
      'A library whose occupancy changed (check-in, check-out, booking). Select any Library field, e.g. `name capacity occupancy { occupied free percent }`. Without libraryId: every library of the tenant.',
    subscribe: servedByGateway,
  })
  occupancyChanged(@Arg('libraryId', () => ID, { nullable: true }) _libraryId: string | undefined, @Root() library: Library): Library {
    return library;
  }
}
