import type { SubscriptionRoutes } from '../core/federation/gateway-subscription';
import { billingSubscriptions } from './billing/subscriptions';
import { creditsSubscriptions } from './credits/subscriptions';
import { messagingSubscriptions } from './messaging/subscriptions';
import { studentSubscriptions } from './student/subscriptions';
import { tenantSubscriptions } from './tenant/subscriptions';

/**
 * Every subgraph's subscription routes, read by the gateway's graphql-ws server. Routes
 * only (no resolvers or servers), so the gateway imports it cheaply; each subgraph's
 * index.ts exports its own as `subscriptions` and subgraphs/registry.ts lists them.
 */
export const SUPERGRAPH_SUBSCRIPTIONS: SubscriptionRoutes = {
  ...tenantSubscriptions,
  ...studentSubscriptions,
  ...billingSubscriptions,
  ...creditsSubscriptions,
  ...messagingSubscriptions,
};
