import { ERROR_CATALOG } from '../../core/errors';

// Signs of internals in a response: stack frames, paths, driver messages, URLs, upstream names.
const LEAKS: [string, RegExp][] = [
  ['stack trace', /\bat [\w.<>]+ \(|\bat (async )?\/|\.(ts|js):\d+:\d+/],
  ['file path', /\/work\/|node_modules|\/dist\//],
  ['database message', /mongo|mongoose|E11000|ferret|bson|cast to objectid/i],
  ['internal URL', /https?:\/\/(127\.0\.0\.1|localhost)|:\d{4,5}\/graphql/],
  ['subgraph name', /serviceName|subquery from service|\bsubgraph\b/i],
  ['node error', /ECONN|ETIMEDOUT|TypeError|ReferenceError|SyntaxError: Unexpected token/],
];

export interface Verdict {
  /** extensions.code of the first error, or 'OK', or what was wrong with the response. */
  code: string;
  leak?: string;
  unclear?: string;
}

/** Classifies one gateway response to a hostile request. */
export function judge(status: number, text: string): Verdict {
  for (const [what, re] of LEAKS) if (re.test(text)) return { code: `HTTP_${status}`, leak: `${what}: ${text.slice(0, 300)}` };
  let body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    return { code: `HTTP_${status}`, unclear: `not JSON (${status}): ${text.slice(0, 120)}` };
  }
  if (!body.errors?.length) return status === 200 ? { code: 'OK' } : { code: `HTTP_${status}`, unclear: `no errors with status ${status}` };
  const codes = body.errors.map((e) => String(e.extensions?.code ?? 'none'));
  const bad = codes.find((c) => !(c in ERROR_CATALOG) || c === 'INTERNAL');
  if (bad) return { code: bad, unclear: `code ${bad}: ${text.slice(0, 200)}` };
  return { code: codes[0] };
}
