/**
 * The token of an `Authorization: Bearer <token>` value (HTTP header or the
 * graphql-ws connection_init `authorization` field); null when absent or not
 * a Bearer value. The scheme is case-insensitive (RFC 7235); exactly one space
 * separates it from the token, and everything after it is the token as sent
 * (a malformed one then fails verification with its own message).
 */
export function parseBearer(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  return /^Bearer (.+)$/i.exec(authorization)?.[1] ?? null;
}
