import type { SubscriptionRoutes } from '../../core/federation/gateway-subscription';

/** Subscription fields the gateway serves for the billing subgraph: none yet (routes go in `<entity>.route.ts`). */
export const billingSubscriptions: SubscriptionRoutes = {};
