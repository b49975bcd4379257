import type { Connection } from 'mongoose';
import { addDays } from '../../../core/tenant-time';
import { analyticsRollupModel, type AnalyticsRollupDoc } from './analytics.model';
import { shiftMonth } from './analytics-time.service';

type Tree = { [k: string]: number | Tree };

/**
 * Closed periods are packed: a month's weekday × hour (or day × hour) counts become one
 * string 'w1.h09=3,w1.h10=5,…' under `packed`. FerretDB decodes one string several
 * times faster than hundreds of fields (measured: a year of weekday × hour counts, ~7 ms
 * packed against ~45 ms as fields), and closed periods no longer change. A late
 * increment (a check-out just after a month ended) lands in the unpacked field again,
 * and readers add both, so nothing is lost.
 */
export function pack(tree: Tree, prefix = '', out: string[] = []): string {
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number') out.push(`${path}=${v}`);
    else pack(v, path, out);
  }
  return prefix ? '' : out.join(',');
}

export function unpack(packed: string): Tree {
  const tree: Tree = {};
  for (const pair of packed ? packed.split(',') : []) {
    const [path, n] = pair.split('=') as [string, string];
    const keys = path.split('.');
    let at = tree;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Tree;
    const last = keys[keys.length - 1]!;
    at[last] = ((at[last] as number | undefined) ?? 0) + Number(n);
  }
  return tree;
}

/** Adds b's counts into a (nested objects of numbers). */
export function addInto(a: Record<string, unknown>, b: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(b)) {
    if (typeof v === 'number') a[k] = ((a[k] as number | undefined) ?? 0) + v;
    else if (v && typeof v === 'object') addInto((a[k] ??= {}) as Record<string, unknown>, v as Record<string, unknown>);
  }
}

/** A month is closed two days after its last day: every visit that can still add to it has ended. */
const closed = (month: string, today: string) => addDays(`${shiftMonth(month, 1)}-01`, 1) < today;

/** The `packed` keys ('cw_m01', 'ci') of a rollup's closed, still unpacked counts. */
function closedPaths(doc: AnalyticsRollupDoc, today: string): string[] {
  if (doc._id.endsWith('|w')) {
    return (['cw', 'pw'] as const).flatMap((f) =>
      Object.keys(doc[f] ?? {})
        .filter((m) => closed(`${doc.period}-${m.slice(1)}`, today))
        .map((m) => `${f}_${m}`),
    );
  }
  if (doc._id.endsWith('|h') && closed(doc.period, today)) return (['ci', 'pm'] as const).filter((f) => doc[f]);
  return [];
}

const subtree = (doc: AnalyticsRollupDoc, key: string): Tree | undefined => {
  const [f, m] = key.split('_') as [keyof AnalyticsRollupDoc, string | undefined];
  const top = doc[f] as Tree | undefined;
  return m ? (top?.[m] as Tree | undefined) : top;
};

/** Moves a rollup's closed counts into `packed` (in memory); returns the update that does the same in the database. */
export function sealDoc(doc: AnalyticsRollupDoc, today: string): { $set: Record<string, string>; $unset: Record<string, ''> } | null {
  const keys = closedPaths(doc, today);
  if (!keys.length) return null;
  const update = { $set: {} as Record<string, string>, $unset: {} as Record<string, ''> };
  for (const key of keys) {
    const merged = unpack(doc.packed?.[key] ?? '');
    addInto(merged, subtree(doc, key) ?? {});
    const packed = pack(merged);
    (doc.packed ??= {})[key] = packed;
    update.$set[`packed.${key}`] = packed;
    const [f, m] = key.split('_') as [keyof AnalyticsRollupDoc, string | undefined];
    update.$unset[m ? `${f}.${m}` : f] = '';
    if (m) delete (doc[f] as Tree)[m];
    else delete doc[f];
  }
  return update;
}

/** Seals closed counts of rollups just read, once (later reads find them packed). */
export async function sealRead(conn: Connection, docs: AnalyticsRollupDoc[], today: string): Promise<void> {
  const ops = docs.flatMap((d) => {
    const update = sealDoc(structuredClone(d), today);
    return update ? [{ updateOne: { filter: { _id: d._id }, update } }] : [];
  });
  if (ops.length) await analyticsRollupModel(conn).bulkWrite(ops, { ordered: false });
}

/** A rollup with its packed counts unpacked into the counts fields, as readers sum them. */
export function expand(doc: AnalyticsRollupDoc): AnalyticsRollupDoc {
  const { packed, ...rest } = doc;
  for (const [key, value] of Object.entries(packed ?? {})) {
    const [f, m] = key.split('_') as [string, string | undefined];
    addInto(rest as unknown as Record<string, unknown>, { [f]: m ? { [m]: unpack(value) } : unpack(value) });
  }
  return rest;
}
