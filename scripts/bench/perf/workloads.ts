import { mintToken } from './client';
import { graphqlCheck, type Target } from './load';
import { CHECK_IN, CHECK_OUT, countStudents } from './queries';

export const gqlBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** The same GraphQL request on every call. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
export function fixed(url: string, query: string, token: string, expect?: (data: any) => string | null): Target {
  const body = gqlBody(query);
  const headers = auth(token);
  return { url, request: () => ({ body, headers }), check: graphqlCheck(expect) };
}

/** W2: the response must hold exactly `n` students. */
export function studentListTarget(url: string, query: string, token: string, n: number): Target {
  return fixed(url, query, token, (d) => (countStudents(d) === n ? null : `expected ${n} students, got ${countStudents(d)}`));
}

/**
 * The same request as a random one of `users` distinct owners of `tenant`: the
 * gateway cannot answer them with one shared fetch (gateway/inflight.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
export function manyUsers(url: string, query: string, tenant: { id: string; slug: string }, users: number, expect?: (data: any) => string | null): Target {
  const body = gqlBody(query);
  const tokens = Array.from({ length: users }, (_, k) => auth(mintToken('owner', tenant, `owner-${tenant.slug}-${k}`)));
  return { url, request: () => ({ body, headers: tokens[Math.floor(Math.random() * users)] }), check: graphqlCheck(expect) };
}

/**
 * W3: each request takes an idle student and toggles it (in ↔ out), so no two
 * requests touch one student at once and every call must succeed.
 */
export function checkInOutTarget(url: string, token: string, students: string[]) {
  const state = students.map(() => ({ in: false, busy: false }));
  let next = 0;
  const headers = auth(token);
  const check = graphqlCheck();
  const target: Target = {
    url,
    request(ctx) {
      let i = next;
      for (let k = 0; k < state.length && state[i].busy; k++) i = (i + 1) % state.length;
      next = (i + 1) % state.length;
      state[i].busy = true;
      ctx.student = i;
      return { body: gqlBody(state[i].in ? CHECK_OUT : CHECK_IN, { s: students[i] }), headers };
    },
    check(body, ctx) {
      const s = state[ctx.student as number];
      const err = check(body);
      if (!err) s.in = !s.in;
      s.busy = false;
      return err;
    },
  };
  /** After a round: a request built but never sent left its student busy; check everybody out. */
  async function reset(): Promise<void> {
    for (let i = 0; i < students.length; i++) {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: gqlBody(CHECK_OUT, { s: students[i] }) });
      state[i] = { in: false, busy: false };
    }
  }
  return { target, reset };
}
