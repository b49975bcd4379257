/**
 * Cursor batch sizes that bring a whole result in the first reply. The driver's
 * default first batch is 101 documents: a loader reading 300 payments then costs
 * extra `getMore` round trips, and a `limit(101)` page an extra `killCursors` on
 * FerretDB. The server still caps one batch at 16 MB.
 */
/**
 * At most `n` documents (a lookup by `n` ids, a page of `n`, `n` groups). One more
 * than that: a first batch filled exactly leaves the cursor open (FerretDB; MongoDB
 * without a limit), and finding it empty costs one more `getMore` round trip.
 */
export const oneBatch = (n: number): number => Math.max(1, n) + 1;
