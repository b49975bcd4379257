import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './context';

/** Forwards the caller's credentials and tenant hints; subgraphs verify them themselves. */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!context?.headers || !request.http) return;
    for (const [name, value] of Object.entries(context.headers)) request.http.headers.set(name, String(value));
  }
}
