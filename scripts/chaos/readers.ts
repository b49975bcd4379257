import { judge } from '../fuzz/check';

/** What readers ask during a fault: `spared` needs none of the faulted services, `partial` needs some. */
export interface ReadPlan {
  /** Must succeed completely throughout the fault. */
  spared?: string;
  /** May lose the faulted fields (all of them without `keep`, a dotted path into data that must stay), failing only with a masked SERVICE_UNAVAILABLE. */
  partial?: { query: string; keep?: string };
}

export interface ReadResult {
  reads: number;
  /** Spared reads that did not succeed completely (must be 0). */
  sparedFailed: number;
  /** Partial reads answered with their kept part and only SERVICE_UNAVAILABLE: the fault was felt on the read path. */
  partialAnswers: number;
  /** Any answer that was not one of the above: a lost request, another code, a leak, a missing kept part (must be 0). */
  unclear: number;
  samples: string[];
}

const at = (data: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);

/**
 * `clients` loops alternating the plan's queries until `until()`: the read side of the
 * load while a fault is injected, showing that what does not need the faulted service
 * keeps working and what does degrades to a clear, masked error.
 */
export async function readers(
  url: string,
  token: string,
  variables: Record<string, unknown>,
  plan: ReadPlan,
  clients: number,
  until: () => boolean,
): Promise<ReadResult> {
  const r: ReadResult = { reads: 0, sparedFailed: 0, partialAnswers: 0, unclear: 0, samples: [] };
  const queries = [plan.spared && { query: plan.spared, spared: true }, plan.partial && { ...plan.partial, spared: false }].filter(Boolean) as {
    query: string;
    spared: boolean;
    keep?: string;
  }[];
  if (!queries.length) return r;
  const bad = (sample: string) => {
    r.unclear++;
    if (r.samples.length < 5) r.samples.push(sample.slice(0, 300));
  };
  const client = async (c: number) => {
    for (let i = c; !until(); i++) {
      const q = queries[i % queries.length];
      r.reads++;
      let status = 0;
      let text = '';
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: q.query, variables }),
          signal: AbortSignal.timeout(45_000),
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        if (q.spared) r.sparedFailed++;
        bad(`transport: ${(err as Error).message}`);
        continue;
      }
      const v = judge(status, text);
      if (v.code === 'OK') continue;
      if (q.spared) r.sparedFailed++;
      if (v.leak || v.unclear) {
        bad(v.leak ?? v.unclear ?? text);
        continue;
      }
      const body = JSON.parse(text) as { data?: unknown; errors: { extensions?: { code?: string } }[] };
      const onlyUnavailable = body.errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
      if (!q.spared && onlyUnavailable && (!q.keep || at(body.data, q.keep) != null)) r.partialAnswers++;
      else bad(text);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return r;
}
