import { createClient, type Client } from 'graphql-ws';
import type { Session } from './session';

export type LiveStatus = 'connecting' | 'live' | 'offline';

/** ws(s)://<this host><endpoint>: the gateway serves graphql-ws on its GraphQL path. */
function wsUrl(endpoint: string): string {
  const url = new URL(endpoint, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * One socket for every subscription of the page. The token is fetched (and
 * refreshed when close to expiry) on every (re)connect; the gateway closes a
 * socket whose token expires with 4401, which graphql-ws treats as fatal, so
 * `onExpired` lets the app refresh and build a new client.
 */
export function createLiveClient(session: Session, endpoint: string, onStatus: (s: LiveStatus) => void, onExpired: () => void): Client {
  const client = createClient({
    url: wsUrl(endpoint),
    connectionParams: async () => ({ authorization: `Bearer ${await session.token()}` }),
    lazy: false,
    keepAlive: 20_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connecting: () => onStatus('connecting'),
      connected: () => onStatus('live'),
      closed: (event) => {
        onStatus('offline');
        if ((event as CloseEvent | undefined)?.code === 4401) onExpired();
      },
    },
  });
  return client;
}

/** Subscribes and returns the unsubscribe function (for React effects). */
export function subscribe<T>(client: Client, query: string, onData: (data: T) => void, onError?: (err: unknown) => void): () => void {
  return client.subscribe<T>(
    { query },
    {
      next: (result) => void (result.data && onData(result.data as T)),
      error: (err) => onError?.(err),
      complete: () => undefined,
    },
  );
}
