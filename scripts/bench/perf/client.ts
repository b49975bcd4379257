import { signAccessToken } from '../../../core/auth/tokens';
import type { Role } from '../../../core/permissions/catalog';

export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0';

/** An access token minted with the bench's secret (the bench owns the services' key). */
export function mintToken(role: Role, tenant?: { id: string; slug: string }, sub = 'bench'): string {
  return signAccessToken({ sub, role, tid: tenant?.id, tsl: tenant?.slug }, JWT_SECRET, 6 * 3600);
}

/** A GraphQL client for set-up: throws on any error. */
export function client(url: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
  return async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return body.data as T;
  };
}

export type Ok = ReturnType<typeof client>;

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
