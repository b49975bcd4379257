import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from './context';
import { EntityBatcher } from './entity-batch';

/** Forwards the caller's credentials and tenant hints; subgraphs verify them themselves. */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** Off only to measure the difference (`npm run bench`: GATEWAY_DEDUPE_ENTITIES=off = stock gateway). */
  private readonly dedupe = process.env.GATEWAY_DEDUPE_ENTITIES !== 'off';
  /** Per client request (its context): batches never mix callers. */
  private readonly batchers = new WeakMap<object, EntityBatcher>();

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!context?.headers || !request.http) return;
    for (const [name, value] of Object.entries(context.headers)) request.http.headers.set(name, String(value));
  }

  /** `_entities` fetches: merged per request and document, each distinct representation sent once (gateway/entity-batch.ts). */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { representations, ...rest } = options.request.variables ?? {};
    if (!this.dedupe || !Array.isArray(representations) || !options.context) return super.process(options);
    let batcher = this.batchers.get(options.context);
    if (!batcher) this.batchers.set(options.context, (batcher = new EntityBatcher()));
    // The planner names each fetch (`Op__billing__3`): the name must not keep identical fetches apart.
    const key = `${options.request.query?.replace(/^(query|mutation)\s+[_A-Za-z][_0-9A-Za-z]*/, '$1')}\n${JSON.stringify(rest)}`;
    return batcher.add(key, representations, (reps) =>
      super.process({ ...options, request: { ...options.request, variables: { ...options.request.variables, representations: reps } } }));
  }
}
