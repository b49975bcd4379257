import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

interface Flight {
  joiners: { resolve(r: GatewayGraphQLResponse): void; reject(e: unknown): void }[];
}

/**
 * Identical subgraph queries in flight at the same time go out once (what Hive
 * Gateway's HTTP executor does by default): 50 dashboards of one user refreshing
 * together cost the subgraphs and the database one fetch, not 50. The key holds
 * everything the answer depends on — subgraph, document, variables and the
 * caller's identity headers — so two callers never share an answer. Joiners get
 * their own copy of data and errors: the gateway merges into what it receives.
 * Only queries: a mutation must run as often as it is sent.
 */
export class InflightQueries {
  private readonly flights = new Map<string, Flight>();

  run(key: string, send: () => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    const flight = this.flights.get(key);
    if (flight) return new Promise((resolve, reject) => flight.joiners.push({ resolve, reject }));
    const own: Flight = { joiners: [] };
    this.flights.set(key, own);
    return send().then(
      (res) => {
        this.flights.delete(key);
        // Copied before the leader's caller gets `res`, so nobody sees another's merges.
        for (const j of own.joiners) j.resolve(copy(res));
        return res;
      },
      (err: unknown) => {
        this.flights.delete(key);
        for (const j of own.joiners) j.reject(err);
        throw err;
      },
    );
  }
}

const copy = (res: GatewayGraphQLResponse): GatewayGraphQLResponse => ({
  ...res,
  data: res.data == null ? res.data : structuredClone(res.data),
  errors: res.errors && structuredClone(res.errors),
});

/** A planner-generated query document (never a mutation or subscription). */
export const isQueryDocument = (doc: string | undefined): boolean => !!doc && /^\s*(query\b|\{)/.test(doc);
