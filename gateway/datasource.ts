import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from './context';
import { EntityBatcher } from './entity-batch';
import { InflightQueries, isQueryDocument } from './inflight';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;

/** What a subgraph's answer depends on besides the request: who asks, for which tenant (core/context.ts). */
const IDENTITY = ['authorization', 'x-tenant', 'x-forwarded-host'] as const;

/** The planner names each fetch (`Op__billing__3`): the name must not keep identical fetches apart. */
const unnamed = (doc: string | undefined) => doc?.replace(/^(query|mutation)\s+[_A-Za-z][_0-9A-Za-z]*/, '$1');

/** Forwards the caller's credentials and tenant hints; subgraphs verify them themselves. */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** Off only to measure the difference (`npm run bench`: GATEWAY_DEDUPE_ENTITIES=off = stock gateway). */
  private readonly dedupe: boolean;
  /** Per client request (its context): batches never mix callers. */
  private readonly batchers = new WeakMap<object, EntityBatcher>();
  private readonly inflight = new InflightQueries();

  constructor(config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0] & { dedupe?: boolean }) {
    super(config);
    this.dedupe = config?.dedupe ?? true;
  }

  override willSendRequest({ request, context }: Options): void {
    if (!context?.headers || !request.http) return;
    for (const [name, value] of Object.entries(context.headers)) request.http.headers.set(name, String(value));
  }

  /** `_entities` fetches: merged per request and document, each distinct representation sent once (gateway/entity-batch.ts). */
  override async process(options: Options): Promise<GatewayGraphQLResponse> {
    const { representations, ...rest } = options.request.variables ?? {};
    if (!this.dedupe || !Array.isArray(representations) || !options.context) return this.send(options);
    let batcher = this.batchers.get(options.context);
    if (!batcher) this.batchers.set(options.context, (batcher = new EntityBatcher()));
    const key = `${unnamed(options.request.query)}\n${JSON.stringify(rest)}`;
    return batcher.add(key, representations, (reps) =>
      this.send({ ...options, request: { ...options.request, variables: { ...options.request.variables, representations: reps } } }),
    );
  }

  /** One fetch for identical queries of the same caller in flight together (gateway/inflight.ts). */
  private send(options: Options): Promise<GatewayGraphQLResponse> {
    const headers = options.context?.headers;
    if (!this.dedupe || !headers || !isQueryDocument(options.request.query)) return super.process(options);
    const key = JSON.stringify([unnamed(options.request.query), options.request.variables ?? null, ...IDENTITY.map((h) => headers[h] ?? null)]);
    return this.inflight.run(key, () => super.process(options));
  }
}
