import type { SubscriptionRoutes } from '../../core/federation/gateway-subscription';
import { notificationSubscriptions } from './notification.route';

/** Subscription fields the gateway serves for the messaging subgraph (each route beside its stub). */
export const messagingSubscriptions: SubscriptionRoutes = { ...notificationSubscriptions };
