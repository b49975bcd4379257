import { subscriptionRoute, type SubscriptionRoutes } from '../../core/federation/gateway-subscription';
import { notificationTopic } from './events';

/** How the gateway serves notificationReceived (./notification.resolver.ts declares the field). */
export const notificationSubscriptions: SubscriptionRoutes = {
  notificationReceived: subscriptionRoute({
    topic: notificationTopic,
    perUser: true,
    accept: (e, _args, auth) => e.userId === null || e.userId === undefined || e.userId === auth.sub,
    query: { field: 'notification', args: (e) => ({ id: e.id }), types: { id: 'ID!' } },
  }),
};
