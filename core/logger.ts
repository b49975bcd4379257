import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; secrets and personal data are redacted wherever they appear as known keys. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino({
    name: service,
    level,
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
