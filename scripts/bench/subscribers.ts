import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What one subscriber saw: the receive time of every event, in arrival order. */
export interface Subscriber {
  times: number[];
  /** Events with GraphQL errors or a payload that fails `check`. */
  bad: number;
  /** Subscription-level failures (error sink, socket closed under it). */
  failures: string[];
}

export interface SubscriberPool {
  subscribers: Subscriber[];
  connections: number;
  dispose(): Promise<void>;
}

export interface OpenOptions {
  url: string;
  /** The access token of each connection (connection c uses tokens[c]): distinct users by default. */
  tokens: string[];
  query: string;
  variables: Record<string, unknown>;
  count: number;
  /** Subscriptions multiplexed on one socket (1 = a socket per subscriber, like browser tabs). */
  perConnection: number;
  /** Validates an event's data (it must be the subscribed library). */
  check(data: unknown): boolean;
}

/** Connections opened at once: each connection_init costs the gateway a `{ tenant { id } }` query. */
const CONNECT_BATCH = 50;

/** Opens a real graphql-ws client and resolves once the server has acknowledged it. */
function connectClient(url: string, token: string, onLost: (reason: string) => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    let acked = false;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0, // a dropped socket must show up as lost events, not be hidden by a reconnect
      onNonLazyError: () => undefined,
      on: {
        connected: () => {
          acked = true;
          resolve(client);
        },
        closed: (e) => {
          const { code, reason } = e as { code: number; reason: string };
          if (!acked) reject(new Error(`connection refused: ${code} ${reason}`));
          else onLost(`socket closed: ${code} ${reason}`);
        },
      },
    });
  });
}

export async function openSubscribers(opts: OpenOptions): Promise<SubscriberPool> {
  const subscribers: Subscriber[] = [];
  const clients: Client[] = [];
  const connections = Math.ceil(opts.count / opts.perConnection);
  let disposing = false;

  for (let first = 0; first < connections; first += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, connections - first) }, (_, i) => first + i);
    await Promise.all(
      batch.map(async (c) => {
        const mine: Subscriber[] = [];
        const client = await connectClient(opts.url, opts.tokens[c % opts.tokens.length], (reason) => {
          if (!disposing) mine.forEach((s) => s.failures.push(reason));
        });
        clients.push(client);
        const n = Math.min(opts.perConnection, opts.count - c * opts.perConnection);
        for (let i = 0; i < n; i++) {
          const sub: Subscriber = { times: [], bad: 0, failures: [] };
          mine.push(sub);
          subscribers.push(sub);
          client.subscribe(
            { query: opts.query, variables: opts.variables },
            {
              next: (r) => {
                // Timestamp first: everything after it is the benchmark's own work.
                sub.times.push(performance.now());
                if (r.errors?.length || !opts.check(r.data)) sub.bad++;
              },
              error: (e) => void sub.failures.push(`subscription error: ${JSON.stringify(e)}`),
              complete: () => {
                if (!disposing) sub.failures.push('completed by the server');
              },
            },
          );
        }
      }),
    );
  }

  return {
    subscribers,
    connections,
    async dispose() {
      disposing = true;
      await Promise.all(clients.map(async (c) => c.dispose()));
    },
  };
}
