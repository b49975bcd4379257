import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

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
  return pino({
    name: service,
    level,
    mixin: traceFields,
    redact: {
      paths: [
        'password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken',
        'authorization', '*.authorization', 'headers.authorization', 'phone', '*.phone',
        'parentPhone', '*.parentPhone', 'email', '*.email', 'variables', '*.variables',
        'accessToken', '*.accessToken', 'secret', '*.secret', 'apiKey', '*.apiKey', 'key', '*.key',
        'headers["x-api-key"]', '*.headers["x-api-key"]', '*.headers.authorization', 'headers["x-gateway-signature"]',
        'connectionParams', '*.connectionParams',
      ],
      censor: '[redacted]',
    },
  }, destination as pino.DestinationStream);
}
