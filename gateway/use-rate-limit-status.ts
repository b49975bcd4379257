import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

export interface RateLimitStatusOptions {
  /** Called once per refused operation (metrics: the `login` scope). */
  onReject?: () => void;
}

/** RATE_LIMITED from a subgraph (login lockout) becomes HTTP 429 with Retry-After at the gateway. */
export function useRateLimitStatus<C extends BaseContext>(options: RateLimitStatusOptions = {}): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const hit = response.body.singleResult.errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
          if (!hit) return;
          const retry = Number(hit.extensions?.retryAfter);
          response.http.status = 429;
          if (retry > 0) response.http.headers.set('retry-after', String(Math.ceil(retry)));
          options.onReject?.();
        },
      };
    },
  };
}
