import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * The active span's ids on every line logged inside a traced request, under the
 * names of the OpenTelemetry log data model (the same as the pino instrumentation's):
 * a log line leads to its trace and back. Nothing when tracing is off.
 */
function traceFields(): Record<string, string> {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !isSpanContextValid(ctx)) return {};
  return { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: `0${ctx.traceFlags.toString(16)}`.slice(-2) };
}

/** JSON logs; secrets and personal data are redacted wherever they appear as known keys. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      mixin: traceFields,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'refreshToken',
          '*.refreshToken',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'phone',
          '*.phone',
          'parentPhone',
          '*.parentPhone',
          'email',
          '*.email',
          'variables',
          '*.variables',
          'accessToken',
          '*.accessToken',
          'secret',
          '*.secret',
          'apiKey',
          '*.apiKey',
          'key',
          '*.key',
          'headers["x-api-key"]',
          '*.headers["x-api-key"]',
          '*.headers.authorization',
          'headers["x-gateway-signature"]',
          'connectionParams',
          '*.connectionParams',
        ],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream,
  );
}

const destinations = new Map<string, pino.DestinationStream>();

/**
 * Where a service's logs go (LOG_FILE, LOG_FORMAT): stdout by default; one shared stream per
 * file and format in a process, since `npm start` runs six services in one process.
 * Pretty output is formatted in-process (no worker thread per service).
 */
export function logDestination(opts: { logFormat: 'json' | 'pretty'; logFile?: string }): pino.DestinationStream | undefined {
  if (opts.logFormat === 'json' && !opts.logFile) return undefined;
  const key = `${opts.logFormat}:${opts.logFile ?? ''}`;
  let dest = destinations.get(key);
  if (!dest) {
    // Synchronous like pino's stdout: nothing is lost when the process dies.
    const file = opts.logFile ? pino.destination({ dest: opts.logFile, append: true, mkdir: true, sync: true }) : undefined;
    dest =
      opts.logFormat === 'pretty'
        ? pretty({ destination: file ?? 1, colorize: !opts.logFile && process.stdout.isTTY, sync: true, ignore: 'pid,hostname' })
        : file!;
    destinations.set(key, dest);
  }
  return dest;
}
