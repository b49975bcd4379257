import { subscriptionRoute, type SubscriptionRoutes } from '../../../core/federation/gateway-subscription';
import { inLibraryScope } from '../../../core/scope/library-scope';
import { ticketTopic } from '../events';

/** How the gateway serves ticketUpdated (./ticket.resolver.ts declares the field): tenant topic, branch scope, payload through `ticket(id)`. */
export const ticketSubscriptions: SubscriptionRoutes = {
  ticketUpdated: subscriptionRoute({
    topic: ticketTopic,
    accept: (e, args, auth) => (!args.libraryId || args.libraryId === e.libraryId) && inLibraryScope({ auth }, e.libraryId),
    query: { field: 'ticket', args: (e) => ({ id: e.ticketId }), types: { id: 'ID!' } },
  }),
};
