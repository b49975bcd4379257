import type { NextFunction, Request, Response } from 'express';

/**
 * Scripts, styles and requests only from our own origin. GraphiQL's stylesheet
 * embeds its fonts and a few icons as data: URIs, hence data: for fonts/images.
 * No 'unsafe-inline': the page config travels in a JSON script tag, which is data, not script.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the security headers on every explorer response (page, changelog, assets). */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', EXPLORER_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // The page URL never carries the key, but keep even the path out of third-party logs.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
}
