/** Runs `each` on successive batches of a stream (e.g. a cursor), so lookups (names) go per batch, not per row. */
export async function inBatches<T>(source: AsyncIterable<T>, size: number, each: (batch: T[]) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let batch: T[] = [];
  for await (const item of source) {
    // The client went away: leaving the loop closes the cursor.
    if (signal?.aborted) return;
    batch.push(item);
    if (batch.length >= size) {
      await each(batch);
      batch = [];
    }
  }
  if (batch.length) await each(batch);
}
