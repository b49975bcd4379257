import type { RequestHandler } from 'express';
import { requestIdOf } from '../context';

/**
 * First middleware of the gateway: every answer carries x-request-id, including
 * those made before GraphQL runs (body parser errors, 404s, rate-limit and API
 * key refusals). The chosen id replaces the request's header, so the GraphQL
 * context, the logs and the subgraph calls all use this same id.
 */
export function requestIdMiddleware(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdOf(req.headers);
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    next();
  };
}
