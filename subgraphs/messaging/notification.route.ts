import { topics } from '../../core/events';
import type { SubscriptionRoutes } from '../../core/federation/gateway-subscription';

/** How the gateway serves notificationReceived (./notification.resolver.ts declares the field). */
export const notificationSubscriptions: SubscriptionRoutes = {
  notificationReceived: {
    topic: topics.notification,
    perUser: true,
    accept: (e, _args, auth) => e.userId === null || e.userId === undefined || e.userId === auth.sub,
    query: { field: 'notification', args: (e) => ({ id: e.id }), types: { id: 'ID!' } },
  },
};
