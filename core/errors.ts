import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Public error codes (extensions.code) and their numeric codes from the platform catalog. */
export const ERROR_CATALOG = {
  UNAUTHENTICATED: 1001,
  FORBIDDEN: 1004,
  BAD_USER_INPUT: 2001,
  GRAPHQL_VALIDATION_FAILED: 2001,
  GRAPHQL_PARSE_FAILED: 2003,
  // Persisted operations (docs/partners.md "Trusted documents", README "Persisted queries"): the hash is
  // unknown (send the full document; Apollo Client's persisted-query link does so by itself) or APQ is off.
  PERSISTED_QUERY_NOT_FOUND: 2004,
  PERSISTED_QUERY_NOT_SUPPORTED: 2005,
  // A partner key in trusted-documents mode sent an operation its tenant has not registered (HTTP 403).
  OPERATION_NOT_TRUSTED: 1010,
  CONFLICT: 3002,
  NOT_FOUND: 3001,
  INSUFFICIENT_BALANCE: 4001,
  LIMIT_EXCEEDED: 4003,
  // Operation limits (gateway/use-operation-limits.ts): refused before anything runs; the code names the limit.
  QUERY_TOO_LARGE: 4003,
  QUERY_TOO_DEEP: 4003,
  QUERY_TOO_MANY_ALIASES: 4003,
  QUERY_TOO_MANY_DIRECTIVES: 4003,
  QUERY_TOO_COMPLEX: 4003,
  RATE_LIMITED: 4029,
  TENANT_SUSPENDED: 4004,
  TENANT_READ_ONLY: 4005,
  // A module the tenant switched off or its plan lacks (core/permissions/modules.ts).
  MODULE_DISABLED: 4006,
  INTERNAL: 6002,
  SERVICE_UNAVAILABLE: 6003,
  // Uploads and downloads while the deployment has no object storage (S3_BUCKET unset: core/storage/config.ts).
  STORAGE_NOT_CONFIGURED: 6004,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

const PUBLIC_CODES = new Set<string>(Object.keys(ERROR_CATALOG));

/** An error meant for the client: its message and code are safe to show. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, errorCode: ERROR_CATALOG[code], ...extra } });
  }
}

export const unauthenticated = (message = 'Authentication required') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You do not have permission for this operation') => new AppError('FORBIDDEN', message);
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, field?: string) => new AppError('CONFLICT', message, field ? { field } : {});

/** Fields of extensions that may reach a client; everything else is dropped. */
const SAFE_EXTENSIONS = ['code', 'errorCode', 'field', 'requestId', 'limit', 'retryAfter', 'module'];

/**
 * Turns any error into what a client may see: known codes keep their message,
 * anything else becomes INTERNAL with a generic message (the request-id plugin logs it).
 */
export function maskError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const ext = (formatted.extensions ?? {}) as Record<string, unknown>;
  // Apollo wraps validation errors with its generic code; a catalog code of the original (e.g. QUERY_TOO_DEEP) wins.
  let code = typeof ext.code === 'string' ? ext.code : 'INTERNAL';
  if (code === 'GRAPHQL_VALIDATION_FAILED') code = originalCode(error) ?? code;
  // Apollo's own request errors are the client's fault, not ours.
  if (code === 'OPERATION_RESOLUTION_FAILURE' || code === 'BAD_REQUEST') code = 'BAD_USER_INPUT';
  const known = PUBLIC_CODES.has(code);
  let message = formatted.message;
  // class-validator failures (type-graphql): name each field and what is wrong with it.
  if (Array.isArray(ext.validationErrors)) {
    message = flattenValidation(ext.validationErrors as ValidationIssue[]).join('; ') || message;
  }
  const extensions: Record<string, unknown> = {};
  for (const key of SAFE_EXTENSIONS) if (ext[key] !== undefined) extensions[key] = ext[key];
  // A class-validator failure names its field like a hand-written badInput does (the first one wrong).
  if (extensions.field === undefined && Array.isArray(ext.validationErrors)) {
    const field = firstInvalidPath(ext.validationErrors as ValidationIssue[]);
    if (field) extensions.field = field;
  }
  extensions.code = known ? code : 'INTERNAL';
  // A known code may carry a finer numeric code (e.g. 1005 invalid credentials).
  if (!known || typeof ext.errorCode !== 'number') extensions.errorCode = ERROR_CATALOG[extensions.code as ErrorCode];
  return {
    message: known ? message : 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}

/**
 * BAD_USER_INPUT for class-validator failures checked outside GraphQL (a REST route's query string,
 * core/validation/check.ts): the same message and field a GraphQL client gets for them.
 */
export function invalidInput(issues: ValidationIssue[]): AppError {
  const field = firstInvalidPath(issues) ?? 'input';
  return new AppError('BAD_USER_INPUT', flattenValidation(issues).join('; ') || `${field}: is invalid`, { field });
}

function originalCode(error: unknown): string | undefined {
  const original = (error as { originalError?: unknown } | undefined)?.originalError;
  const code = original instanceof GraphQLError ? original.extensions?.code : undefined;
  return typeof code === 'string' && PUBLIC_CODES.has(code) && code !== 'INTERNAL' ? code : undefined;
}

interface ValidationIssue {
  property: string;
  constraints?: Record<string, string>;
  // A core/validation decorator may name the path a client sees (`{ path: 'input.code' }`, core/validation/options.ts).
  contexts?: Record<string, { path?: unknown } | undefined>;
  children?: ValidationIssue[];
}

/** The path a failed constraint reports: the one its decorator named, else the property's. */
const constraintPath = (i: ValidationIssue, name: string, path: string): string => {
  const named = i.contexts?.[name]?.path;
  return typeof named === 'string' ? named : path;
};

function flattenValidation(issues: ValidationIssue[], prefix = ''): string[] {
  return issues.flatMap((i) => {
    const path = prefix ? `${prefix}.${i.property}` : i.property;
    const own = Object.entries(i.constraints ?? {}).map(([name, c]) => `${constraintPath(i, name, path)}: ${c}`);
    return [...own, ...flattenValidation(i.children ?? [], path)];
  });
}

function firstInvalidPath(issues: ValidationIssue[], prefix = ''): string | undefined {
  for (const i of issues) {
    const path = prefix ? `${prefix}.${i.property}` : i.property;
    const first = Object.keys(i.constraints ?? {})[0];
    if (first) return constraintPath(i, first, path);
    const inner = firstInvalidPath(i.children ?? [], path);
    if (inner) return inner;
  }
  return undefined;
}
