import type { GraphQLFormattedError } from 'graphql';
import { AppError } from '../errors';

// Driver and mongoose errors that mean "the database cannot be reached right now".
const UNREACHABLE =
  /^(MongoNetworkError|MongoNetworkTimeoutError|MongoServerSelectionError|MongooseServerSelectionError|MongoNotConnectedError|MongoTopologyClosedError|MongoPoolClearedError)$/;

/** True when `err` (or what it wraps) says the database is unreachable, not that the request is wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { name?: string; message?: string; originalError?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (typeof e.name === 'string' && UNREACHABLE.test(e.name)) return true;
    // mongoose: "Operation `students.find()` buffering timed out after 10000ms" while disconnected.
    if (typeof e.message === 'string' && /buffering timed out after/.test(e.message)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * Subgraph formatError step before masking: a database outage becomes a clear
 * SERVICE_UNAVAILABLE (retryable) instead of an opaque INTERNAL.
 */
export function markDatabaseUnavailable(formatted: GraphQLFormattedError, err: unknown): GraphQLFormattedError {
  if (!isDatabaseUnavailable(err)) return formatted;
  const ext = new AppError('SERVICE_UNAVAILABLE', 'The database is temporarily unavailable; try again shortly').extensions;
  return { ...formatted, message: 'The database is temporarily unavailable; try again shortly', extensions: { ...formatted.extensions, ...ext } };
}
