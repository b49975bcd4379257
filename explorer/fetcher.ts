import type { GraphiQLProps } from 'graphiql';

export type Fetcher = GraphiQLProps['fetcher'];
type FetcherParams = Parameters<Fetcher>[0];

export const NO_KEY_MESSAGE = 'Enter your partner API key in the "API key" field at the top of the page.';

/**
 * Plain HTTP fetcher (the partner API has no subscriptions). The key is read at
 * call time, so an operation always goes out with what the field holds right now.
 */
export function createFetcher(endpoint: string, getApiKey: () => string): Fetcher {
  return async (params: FetcherParams) => {
    const key = getApiKey().trim();
    // Every partner request needs a key: say so here instead of sending a request bound to get a 401.
    if (!key) return { errors: [{ message: NO_KEY_MESSAGE }] };
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': key };
    // No cookies: the key is the only credential this page sends.
    const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params), credentials: 'omit' });
    const text = await res.text();
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not GraphQL (proxy error page, 404 …): show it in the result pane rather than failing silently.
      return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 300)}` }] };
    }
  };
}
