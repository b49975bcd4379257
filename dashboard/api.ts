/** A GraphQL error as the gateway sends it (internal details are masked there). */
export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

export class ApiError extends Error {
  constructor(readonly errors: GqlError[]) {
    super(errors.map((e) => e.message).join('; ') || 'Request failed');
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/**
 * POST to the gateway with the bearer token. JSON content type, so Apollo's CSRF
 * check passes; no cookies, the token is the only credential.
 */
export async function gql<T>(endpoint: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }), credentials: 'omit' });
  let body: { data?: T | null; errors?: GqlError[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError([{ message: `HTTP ${res.status}` }]);
  }
  if (body.errors?.length || !body.data) throw new ApiError(body.errors ?? [{ message: `HTTP ${res.status}` }]);
  return body.data;
}
