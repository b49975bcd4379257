import type { ErrorRequestHandler } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/**
 * Last express handler: errors raised before GraphQL runs (body parser: bad JSON,
 * body too large) are answered as GraphQL-shaped JSON with a code. Express's own
 * handler would send an HTML page, with a stack trace outside production.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: number; type?: string };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    let error: AppError;
    if (e.type === 'entity.too.large') error = new AppError('BAD_USER_INPUT', 'Request body too large');
    else if (e.type === 'entity.parse.failed') error = new AppError('BAD_USER_INPUT', 'Request body is not valid JSON');
    else if (status < 500) error = new AppError('BAD_USER_INPUT', 'Malformed request');
    else {
      log.error({ err }, 'unhandled HTTP error');
      error = new AppError('INTERNAL', 'Internal server error');
    }
    res.status(status).json({ errors: [{ message: error.message, extensions: error.extensions }] });
  };
}
