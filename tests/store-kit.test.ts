import { appendOnce, syncProjection, type ChainStore, type Link } from '../core/store/append-chain';
import { Types, type Model } from 'mongoose';
import { byIdLoader } from '../core/store/by-id-loader';
import { hasDuplicateKey, isDuplicateKey, isOnlyDuplicateKeys, writeErrorsOf } from '../core/store/duplicate-key';
import { searchHead } from '../core/store/head-search';

/** Unit tests of core/store (no system started). */

describe('searchHead', () => {
  /** A chain of `n` entries at seq 1..n, counting lookups. */
  const chain = (n: number) => {
    const calls: number[] = [];
    const at = async (seq: number) => {
      calls.push(seq);
      return seq >= 1 && seq <= n ? { seq } : null;
    };
    return { at, calls };
  };

  it('finds the head of an empty chain, from a current hint, a stale hint and no hint', async () => {
    expect(await searchHead(chain(0).at)).toEqual({ seq: 0, entry: null });
    for (const n of [1, 2, 3, 7, 8, 9, 100, 1025]) {
      expect((await searchHead(chain(n).at)).seq).toBe(n);
      expect((await searchHead(chain(n).at, n)).entry).toEqual({ seq: n });
      expect((await searchHead(chain(n).at, Math.max(1, n - 3))).seq).toBe(n);
    }
  });

  it('costs two lookups when the hint is current, and O(log n) from the start', async () => {
    const c = chain(1000);
    await searchHead(c.at, 1000);
    expect(c.calls).toEqual([1000, 1001]);
    const d = chain(1000);
    await searchHead(d.at);
    expect(d.calls.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1000)) + 1);
  });

  it('falls back to the start when the hint points past the head (a tampered copy)', async () => {
    const c = chain(5);
    expect((await searchHead(c.at, 50)).seq).toBe(5);
    expect(c.calls[0]).toBe(50);
  });
});

type Entry = Link & { seq: number; chain: string; total: number };

/** A store that records how it was asked, with the two unique indexes of the real ones. */
function recordingStore(opts: { alwaysTaken?: boolean } = {}) {
  const all: Entry[] = [];
  const asked: { head: (number | undefined)[]; byKey: number } = { head: [], byKey: 0 };
  const dup = Object.assign(new Error('E11000'), { code: 11000 });
  const store: ChainStore<Entry, { total: number }> = {
    async head(chain, from) {
      asked.head.push(from);
      return all.filter((e) => e.chain === chain).sort((a, b) => b.seq - a.seq)[0] ?? null;
    },
    async byKey(key) {
      asked.byKey++;
      return all.find((e) => e.key === key) ?? null;
    },
    async insert(chain, seq, key, fields) {
      if (opts.alwaysTaken || all.some((e) => e.key === key || (e.chain === chain && e.seq === seq))) throw dup;
      const entry = { ...fields, chain, seq, key };
      all.push(entry);
      return entry;
    },
    isDuplicate: (err) => err === dup,
  };
  return { store, all, asked };
}

describe('appendOnce options', () => {
  it('starts the head search at `from`, and after a lost race at the position it lost', async () => {
    const { store, asked } = recordingStore();
    await appendOnce(store, 'p', 'k1', () => ({ total: 1 }), { from: 7 });
    expect(asked.head).toEqual([7]);
    // Lose one race: a competitor takes seq 2 between our head read and our insert.
    let raced = false;
    const { store: s2, all, asked: a2 } = recordingStore();
    await appendOnce(s2, 'p', 'a', () => ({ total: 1 }));
    const r = await appendOnce(s2, 'p', 'b', (h) => {
      if (!raced) {
        raced = true;
        all.push({ chain: 'p', seq: 2, key: 'other', total: 5 });
      }
      return { total: (h?.total ?? 0) + 1 };
    });
    expect(r).toMatchObject({ created: true, entry: { seq: 3, total: 6 } });
    expect(a2.head.slice(-2)).toEqual([undefined, 2]);
  });

  it('looks the key up first by default, not with lookFirst: false, and still answers a repeat with the first entry', async () => {
    const { store, asked } = recordingStore();
    await appendOnce(store, 'p', 'k', () => ({ total: 1 }));
    expect(asked.byKey).toBe(1);
    const again = await appendOnce(store, 'p', 'k', () => ({ total: 99 }), { lookFirst: false });
    expect(again).toMatchObject({ created: false, entry: { seq: 1, total: 1 } });
    expect(asked.head).toHaveLength(2); // the repeat read the head, lost on the key, found the twin
  });

  it('gives up with SERVICE_UNAVAILABLE and the given message when contention outlasts the budget', async () => {
    const { store, all } = recordingStore({ alwaysTaken: true });
    await expect(
      appendOnce(store, 'p', 'k', () => ({ total: 1 }), { budgetMs: 30, busy: 'Refunds of this payment are busy, try again' }),
    ).rejects.toMatchObject({ message: 'Refunds of this payment are busy, try again', extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(all).toHaveLength(0);
  });

  it('rethrows a store error that is not a duplicate key, writing nothing', async () => {
    const { store } = recordingStore();
    const broken = {
      ...store,
      insert: async () => {
        throw new Error('disk full');
      },
    };
    await expect(appendOnce(broken, 'p', 'k', () => ({ total: 1 }))).rejects.toThrow('disk full');
  });

  it('syncProjection starts at `from` and re-reads from the head it wrote', async () => {
    const { store, asked } = recordingStore();
    await appendOnce(store, 'p', 'k', () => ({ total: 1 }));
    asked.head.length = 0;
    const written: number[] = [];
    await syncProjection(
      store,
      'p',
      async (h) => {
        written.push(h.total);
      },
      1,
    );
    expect(written).toEqual([1]);
    expect(asked.head).toEqual([1, 1]);
  });
});

describe('duplicate-key detection', () => {
  const dup = { code: 11000, message: 'E11000 duplicate key error' };
  it('recognises E11000 on the error and in bulk write errors (array or single)', () => {
    expect(isDuplicateKey(dup)).toBe(true);
    expect(isDuplicateKey({ code: 121 })).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
    expect(isDuplicateKey(undefined)).toBe(false);
    expect(isDuplicateKey(new Error('boom'))).toBe(false);
    expect(isOnlyDuplicateKeys({ writeErrors: [{ code: 11000 }, { code: 11000 }] })).toBe(true);
    expect(isOnlyDuplicateKeys({ writeErrors: [{ code: 11000 }, { code: 121 }] })).toBe(false);
    expect(isOnlyDuplicateKeys({ writeErrors: { code: 11000 } })).toBe(true);
    expect(isOnlyDuplicateKeys(dup)).toBe(true);
    expect(isOnlyDuplicateKeys({ code: 2 })).toBe(false);
    expect(hasDuplicateKey({ writeErrors: [{ code: 121 }, { code: 11000 }] })).toBe(true);
    expect(hasDuplicateKey({ writeErrors: [{ code: 121 }] })).toBe(false);
    expect(hasDuplicateKey(dup)).toBe(true);
    expect(writeErrorsOf({ writeErrors: { index: 3, code: 11000 } })).toEqual([{ index: 3, code: 11000 }]);
    expect(writeErrorsOf(null)).toEqual([]);
  });
});

describe('byIdLoader', () => {
  /** A fake model recording each find; documents are {_id, n}. */
  function fakeModel(docs: { _id: Types.ObjectId; n: number; lib: string }[]) {
    const finds: { filter: Record<string, unknown>; batch: number }[] = [];
    const model = {
      find(filter: Record<string, unknown>) {
        return {
          batchSize(batch: number) {
            return {
              lean: async () => {
                finds.push({ filter, batch });
                const ids = (filter._id as { $in: Types.ObjectId[] }).$in.map((o) => o.toHexString());
                return docs.filter((d) => ids.includes(d._id.toHexString()) && (!filter.lib || d.lib === filter.lib));
              },
            };
          },
        };
      },
    };
    return { model: model as unknown as Model<unknown>, finds };
  }
  const scope = () => {
    const m = new Map<string, unknown>();
    return { memo: <T>(k: string, c: () => T) => (m.has(k) ? m.get(k) : (m.set(k, c()), m.get(k))) as T };
  };
  const a = new Types.ObjectId();
  const b = new Types.ObjectId();
  const c = new Types.ObjectId();

  it("batches a request's look-ups into one find and answers each id in order, null for malformed, unknown and filtered ids", async () => {
    const { model, finds } = fakeModel([
      { _id: a, n: 1, lib: 'x' },
      { _id: b, n: 2, lib: 'y' },
    ]);
    const s = scope();
    const loader = () =>
      byIdLoader<{ _id: Types.ObjectId; n: number }, number>(s, 'test.byId', { model: () => model, filter: () => ({ lib: 'x' }), view: (d) => d.n });
    expect(loader()).toBe(loader()); // one loader per scope and name
    const got = await Promise.all(
      [a.toHexString(), 'not-an-id', b.toHexString(), c.toHexString(), a.toHexString().toUpperCase()].map((id) => loader().load(id)),
    );
    expect(got).toEqual([1, null, null, null, 1]);
    expect(finds).toHaveLength(1);
    expect(finds[0].filter.lib).toBe('x');
    expect(finds[0].batch).toBe(5); // four well-formed keys (a in two cases, b, c), +1 (core/db-batch.ts)
  });

  it('does not query when no id is well formed, and returns documents themselves without a view', async () => {
    const { model, finds } = fakeModel([{ _id: a, n: 1, lib: 'x' }]);
    const loader = byIdLoader<{ _id: Types.ObjectId; n: number }>(scope(), 'test.byId', { model: async () => model });
    expect(await loader.loadMany(['', 'zz'])).toEqual([null, null]);
    expect(finds).toHaveLength(0);
    expect(await loader.load(a.toHexString())).toMatchObject({ n: 1 });
  });

  it('loads string _ids as given with `parse`, case-sensitively', async () => {
    const finds: unknown[] = [];
    const docs = [
      { _id: 'tenant-a', sms: 30 },
      { _id: 'Tenant-B', sms: 40 },
    ];
    const model = {
      find: (filter: { _id: { $in: string[] } }) => ({
        batchSize: () => ({
          lean: async () => {
            finds.push(filter);
            return docs.filter((d) => filter._id.$in.includes(d._id));
          },
        }),
      }),
    } as unknown as Model<unknown>;
    const loader = byIdLoader<{ _id: string; sms: number }>(scope(), 'test.rates', { model: () => model, parse: (id) => id });
    expect(await loader.loadMany(['tenant-a', 'tenant-b', 'Tenant-B'])).toEqual([docs[0], null, docs[1]]);
    expect(finds).toHaveLength(1);
  });
});
