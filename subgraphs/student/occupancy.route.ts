import { subscriptionRoute, type SubscriptionRoutes } from '../../core/federation/gateway-subscription';
import { inLibraryScope } from '../../core/scope/library-scope';
import { occupancyTopic } from './events';

/** How the gateway serves occupancyChanged (./occupancy.resolver.ts declares the field). */
export const occupancySubscriptions: SubscriptionRoutes = {
  occupancyChanged: subscriptionRoute({
    topic: occupancyTopic,
    // A branch-scoped subscriber hears its own libraries only (core/scope/library-scope.ts).
    accept: (e, args, auth) => (!args.libraryId || args.libraryId === e.libraryId) && inLibraryScope({ auth }, e.libraryId),
    query: { field: 'library', args: (e) => ({ id: e.libraryId }), types: { id: 'ID!' } },
  }),
};
