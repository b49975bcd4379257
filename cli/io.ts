import { loadConfig, processEnv } from '../core/config';
import { DbManager } from '../core/tenancy/db';

/** Where a command writes: real stdout/stderr from the binary, buffers in tests. */
export interface Io {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** Progress bars only on a terminal (and never with --json). */
  interactive: boolean;
}

export const processIo = (): Io => ({
  env: processEnv(),
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  interactive: !!process.stderr.isTTY,
});

/** Exit codes: 0 done, 1 failed, 2 bad arguments, 3 verification failed (counts differ). */
export const EXIT = { ok: 0, failed: 1, usage: 2, verify: 3 } as const;

/** A failure with a message for the operator (no stack trace) and its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const usage = (message: string) => new CliError(message, EXIT.usage);

/** The CLI talks to MongoDB directly (it is an operator tool), with the services' own configuration. */
export async function openDb(io: Io): Promise<DbManager> {
  const config = loadConfig('gateway', io.env);
  if (!config.mongodbUri) throw usage('MONGODB_URI is not set (e.g. MONGODB_URI=mongodb://127.0.0.1:27017/)');
  return DbManager.connect(config.mongodbUri, config.dbPrefix, { poolSize: 5 });
}

/** Runs `fn` with a database pool that is always closed afterwards. */
export async function withDb<T>(io: Io, fn: (db: DbManager) => Promise<T>): Promise<T> {
  const db = await openDb(io);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Prints aligned columns for humans. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (!rows.length) return '(none)';
  const cell = (v: unknown) => (v == null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
