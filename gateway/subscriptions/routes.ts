import { SUPERGRAPH_SUBSCRIPTIONS } from '../../subgraphs/subscriptions';

/** The routes live beside their subscription in each subgraph (`<entity>.route.ts`). */
export type { SubscriptionRoute } from '../../core/federation/gateway-subscription';

export const SUBSCRIPTION_ROUTES = SUPERGRAPH_SUBSCRIPTIONS;
