import { AppError } from '../errors';

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
