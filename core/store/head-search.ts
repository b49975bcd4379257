/**
 * Finds the last entry of a chain whose entries sit at known addresses (seq 1, 2,
 * 3... without gaps; entries are never removed), starting from `hint`. "seq
 * exists" is monotone, so: gallop forward from the hint, then bisect — about
 * 2·log2(distance) lookups, ~2 when the hint is current. A hint that does not
 * exist (a tampered or future copy) falls back to the start.
 */
export async function searchHead<E>(at: (seq: number) => Promise<E | null>, hint = 0): Promise<{ seq: number; entry: E | null }> {
  let entry = hint > 0 ? await at(hint) : null;
  let lo = entry ? hint : 0;
  let hi = 0;
  for (let step = 1; !hi; step *= 2) {
    const e = await at(lo + step);
    if (e) [lo, entry] = [lo + step, e];
    else hi = lo + step;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const e = await at(mid);
    if (e) [lo, entry] = [mid, e];
    else hi = mid;
  }
  return { seq: lo, entry };
}
