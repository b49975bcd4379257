import { appendOnce, syncProjection, type ChainEntry, type ChainStore } from '../core/store/append-chain';

/** An in-memory store with the two unique indexes of the real collections, and a yield per call so writers interleave. */
function memoryStore<S>(): ChainStore<ChainEntry<S>> & { all: ChainEntry<S>[] } {
  const all: ChainEntry<S>[] = [];
  const tick = () => new Promise((r) => setImmediate(r));
  const dup = Object.assign(new Error('E11000'), { code: 11000 });
  return {
    all,
    async head(chain) {
      await tick();
      return all.filter((e) => e.chain === chain).sort((a, b) => b.seq - a.seq)[0] ?? null;
    },
    async byKey(key) {
      await tick();
      return all.find((e) => e.key === key) ?? null;
    },
    async insert(chain, seq, key, fields) {
      await tick();
      const entry = { ...fields, chain, seq, key };
      if (all.some((e) => e.key === entry.key || (e.chain === entry.chain && e.seq === entry.seq))) throw dup;
      all.push(entry);
      return entry;
    },
    isDuplicate: (err) => (err as { code?: number }).code === 11000,
  };
}

type Balance = ChainEntry<{ balance: number }>;

describe('append chain', () => {
  it('serialises concurrent writers: every change judged against the real head, no lost update', async () => {
    const store = memoryStore<{ balance: number }>();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendOnce<Balance>(store, 'a', `k${i}`, (h) => ({ state: { balance: (h?.state.balance ?? 0) + 5 } }))),
    );
    const head = await store.head('a');
    expect(head).toMatchObject({ seq: 20, state: { balance: 100 } });
    expect(store.all.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('is idempotent per key, also for concurrent twins, and refuses through next()', async () => {
    const store = memoryStore<{ balance: number }>();
    const add = () => appendOnce<Balance>(store, 'b', 'same', (h) => ({ state: { balance: (h?.state.balance ?? 0) + 7 } }));
    const results = await Promise.all([add(), add(), add()]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(store.all).toHaveLength(1);
    expect((await add()).created).toBe(false);
    // A guard that refuses against the head throws and writes nothing.
    const spend = (key: string, n: number) =>
      appendOnce<Balance>(store, 'b', key, (h) => {
        if ((h?.state.balance ?? 0) < n) throw new Error('insufficient');
        return { state: { balance: h!.state.balance - n } };
      });
    const spent = await Promise.allSettled([spend('s1', 5), spend('s2', 5)]);
    expect(spent.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect((await store.head('b'))!.state.balance).toBe(2);
    // A twin of a refused-by-the-head change gets the entry its twin wrote, not the refusal.
    const once = () =>
      appendOnce<Balance>(store, 'b', 'once', (h) => {
        if (h?.key === 'once') throw new Error('already');
        return { state: { balance: 0 } };
      });
    const twins = await Promise.all([once(), once(), once()]);
    expect(twins.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(twins.map((r) => r.entry.seq)).size).toBe(1);
  });

  it('keeps chains apart and syncs a projection to the newest head', async () => {
    const store = memoryStore<{ balance: number }>();
    await appendOnce<Balance>(store, 'c', 'c1', () => ({ state: { balance: 1 } }));
    await appendOnce<Balance>(store, 'd', 'd1', () => ({ state: { balance: 9 } }));
    expect((await store.head('c'))!.seq).toBe(1);
    const written: number[] = [];
    await syncProjection(store, 'c', async (h) => {
      written.push(h.seq);
      // Someone appends while we write: the sync must write the newer head too.
      if (h.seq === 1) await appendOnce<Balance>(store, 'c', 'c2', () => ({ state: { balance: 2 } }));
    });
    expect(written).toEqual([1, 2]);
  });

  it('writes a projection again when a concurrent first upsert won its key (duplicate key), and still refuses other errors', async () => {
    const store = memoryStore<{ balance: number }>();
    await appendOnce<Balance>(store, 'e', 'e1', () => ({ state: { balance: 5 } }));
    let calls = 0;
    await syncProjection(store, 'e', async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    });
    expect(calls).toBe(2);
    await expect(syncProjection(store, 'e', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });
});
