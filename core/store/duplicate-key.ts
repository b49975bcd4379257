/**
 * Duplicate-key (E11000) detection: an insert or update hit a unique index, our
 * one atomic guard on every server (MongoDB and FerretDB): someone else won.
 */

const DUPLICATE_KEY = 11000;

interface WriteError {
  index?: number;
  code?: number;
}

/** The failures of a bulk write: `writeErrors` may be an array or a single error, depending on the driver path. */
export function writeErrorsOf(err: unknown): WriteError[] {
  const w = (err as { writeErrors?: WriteError | WriteError[] } | null)?.writeErrors;
  return Array.isArray(w) ? w : w ? [w] : [];
}

/** The error itself is a duplicate key. */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | null)?.code === DUPLICATE_KEY;

/** An unordered bulk insert whose every failure is a duplicate key (someone else's identical insert won). */
export function isOnlyDuplicateKeys(err: unknown): boolean {
  const errors = writeErrorsOf(err);
  return errors.length ? errors.every((e) => e.code === DUPLICATE_KEY) : isDuplicateKey(err);
}

/** The error, or one of the bulk write's failures, is a duplicate key (an ordered insert stopped on it). */
export const hasDuplicateKey = (err: unknown): boolean => isDuplicateKey(err) || writeErrorsOf(err).some((e) => e.code === DUPLICATE_KEY);
