import type { AccessClaims } from '../auth/tokens';
import { AppError } from '../errors';
import type { Topic } from '../pubsub';

/**
 * How the gateway serves one subscription field of a subgraph (the subgraph's
 * `subscriptions` export, beside its stub resolver): which tenant topic it listens to,
 * which events it accepts, and which query field fetches its payload through
 * the gateway (so a selection spanning subgraphs is resolved per event by
 * federation, with the subscriber's own permissions). `P` is the topic's payload.
 */
export interface SubscriptionRoute<P extends object = Record<string, unknown>> {
  topic(tenantId: string): Topic<P>;
  accept(event: P, args: Record<string, unknown>, auth: AccessClaims): boolean;
  /**
   * The payload depends on the user who asks (e.g. notifications are visible by user id):
   * subscribers are then grouped per user, never across users (gateway/subscriptions/multiplex.ts).
   */
  perUser?: boolean;
  /** Query field that returns the payload, and its arguments (with GraphQL types) from the event. */
  query: { field: string; args(event: P): Record<string, unknown>; types: Record<string, string> };
}

/** A route typed by its topic's payload: `accept` and `query.args` get the payload type of `topic`. */
export const subscriptionRoute = <P extends object>(route: SubscriptionRoute<P>): SubscriptionRoute => route as unknown as SubscriptionRoute;

/** A subgraph's subscription fields by name. */
export type SubscriptionRoutes = Readonly<Record<string, SubscriptionRoute>>;

/**
 * `subscribe` for subscription fields declared in a subgraph: they are part of
 * the supergraph, but events are delivered by the gateway's graphql-ws server
 * (gateway/subscriptions), never by a subgraph.
 */
export function servedByGateway(): never {
  throw new AppError('BAD_USER_INPUT', 'Subscriptions are served by the gateway over graphql-ws');
}

/** type-graphql insists on a pubSub once a schema has subscriptions; ours never delivers from a subgraph. */
export const gatewayOnlyPubSub = {
  publish(): void {
    servedByGateway();
  },
  subscribe(): AsyncIterable<unknown> {
    return servedByGateway();
  },
};
