import { topics } from '../../core/events';
import type { SubscriptionRoutes } from '../../core/federation/gateway-subscription';
import { inLibraryScope } from '../../core/scope/library-scope';

/** How the gateway serves occupancyChanged (./occupancy.resolver.ts declares the field). */
export const occupancySubscriptions: SubscriptionRoutes = {
  occupancyChanged: {
    topic: topics.occupancy,
    // A branch-scoped subscriber hears its own libraries only (core/scope/library-scope.ts).
    accept: (e, args, auth) => (!args.libraryId || args.libraryId === e.libraryId) && inLibraryScope({ auth }, e.libraryId as string),
    query: { field: 'library', args: (e) => ({ id: e.libraryId }), types: { id: 'ID!' } },
  },
};
