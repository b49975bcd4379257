import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;
import WebSocket from 'ws';

export interface WsConnection {
  client: Client;
  /** Resolves with the close code and reason when the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A real graphql-ws client against the gateway, no retries (tests assert close codes). */
export function connect(url: string, connectionParams: Record<string, unknown>, opts: { headers?: Record<string, string> } = {}): WsConnection {
  let onClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (onClosed = r));
  const client = createClient({
    url,
    // Extra upgrade headers (e.g. X-Forwarded-For behind a trusted proxy) need the `ws` options argument.
    webSocketImpl: opts.headers ? withHeaders(opts.headers) : WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    on: { closed: (e) => onClosed({ code: (e as { code: number }).code, reason: String((e as { reason: unknown }).reason) }) },
    onNonLazyError: () => undefined,
  });
  return { client, closed };
}

const withHeaders = (headers: Record<string, string>) =>
  class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
export interface Subscription<T = any> {
  results: ExecutionResult<T>[];
  errors: unknown[];
  completed: Promise<void>;
  /** Waits until at least `n` results arrived (or fails after `ms`). */
  waitFor(n: number, ms?: number): Promise<ExecutionResult<T>[]>;
  unsubscribe(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const results: ExecutionResult<T>[] = [];
  const errors: unknown[] = [];
  let waiters: (() => void)[] = [];
  let complete!: () => void;
  const completed = new Promise<void>((r) => (complete = r));
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        results.push(r);
        waiters.forEach((w) => w());
      },
      error: (e) => {
        errors.push(e);
        waiters.forEach((w) => w());
        complete();
      },
      complete: () => complete(),
    },
  );
  const waitFor = async (n: number, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (results.length < n) {
      if (errors.length) throw new Error(`subscription error: ${JSON.stringify(errors)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${n} results, got ${results.length}: ${JSON.stringify(results)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
      waiters = [];
    }
    return results;
  };
  return { results, errors, completed, waitFor, unsubscribe };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
