import { SUBGRAPH_NAMES } from '../../core/config';

// What must never reach a client when something fails behind the gateway.
const INTERNALS = [
  /https?:\/\//i,
  /127\.0\.0\.1|localhost/i,
  /ECONN|ETIMEDOUT|EAI_AGAIN|fetch failed|socket/i,
  /\bat .+:\d+/,
  /\.(ts|js):\d+/,
  /mongo|mongoose|E11000/i,
  /stack|serviceName/i,
];

/** Every error has `code`, and neither message nor extensions name a subgraph, URL or cause. */
export function expectMasked(errors: { message: string; extensions?: Record<string, unknown> }[] | undefined, code: string): void {
  expect(errors?.length).toBeGreaterThan(0);
  for (const e of errors!) {
    expect(e.extensions?.code).toBe(code);
    const text = JSON.stringify({ message: e.message, extensions: e.extensions });
    for (const re of INTERNALS) expect(text).not.toMatch(re);
    for (const name of SUBGRAPH_NAMES) expect(text.toLowerCase()).not.toContain(name);
  }
}
