import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/**
 * Last express handler: errors raised before GraphQL runs (body parser: bad JSON,
 * body too large) are answered as GraphQL-shaped JSON with a code. Express's own
 * handler would send an HTML page, with a stack trace outside production.
 * A client's mistake is logged at info without a stack; only faults at error.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: number; type?: string };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    const requestId = req.headers['x-request-id'];
    let error: AppError;
    if (e.type === 'entity.too.large') error = new AppError('BAD_USER_INPUT', 'Request body too large');
    else if (e.type === 'entity.parse.failed') error = new AppError('BAD_USER_INPUT', 'Request body is not valid JSON');
    else if (status < 500) error = new AppError('BAD_USER_INPUT', 'Malformed request');
    else {
      log.error({ err, requestId }, 'unhandled HTTP error');
      error = new AppError('INTERNAL', 'Internal server error', { requestId });
    }
    if (status < 500) log.info({ requestId, path: req.path, status, reason: e.type ?? error.message }, 'HTTP request refused');
    res.status(status).json({ errors: [{ message: error.message, extensions: error.extensions }] });
  };
}

/** 404 for any path no route answers, as GraphQL-shaped JSON (Express's default is an HTML page). */
export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    const error = new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`);
    res.status(404).json({ errors: [{ message: error.message, extensions: error.extensions }] });
  };
}

/** HTTP status of a coded error answered by a plain (non-GraphQL) route. */
const HTTP_STATUS: Partial<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  MODULE_DISABLED: 403,
  TENANT_SUSPENDED: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** 410 Gone for an expired link (ask for a new one), else the status of its code; anything uncoded is 500. */
export function httpStatusOf(err: unknown): number {
  if (!(err instanceof AppError)) return 500;
  if (err.extensions.reason === 'expired') return 410;
  return HTTP_STATUS[String(err.extensions.code)] ?? 500;
}

/**
 * Answers a plain route's failure as `{ error: { code, errorCode, message } }` with its HTTP
 * status. Anything but an AppError is INTERNAL without detail (and logged); after the
 * headers went out (a stream failed half-way) the connection is cut instead, so the
 * client sees a broken download rather than a truncated "complete" file.
 */
export function sendHttpError(res: Response, err: unknown, log?: Logger): void {
  const coded = err instanceof AppError ? err : new AppError('INTERNAL', 'Internal server error');
  if (coded !== err) log?.error({ err }, 'route failed');
  if (res.headersSent) return void res.destroy();
  const code = String(coded.extensions.code);
  res.status(httpStatusOf(coded)).json({ error: { code, errorCode: coded.extensions.errorCode, message: coded.message } });
}
