import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Connection } from 'mongoose';
import { verifyAccessToken, type AccessClaims } from './auth/tokens';
import type { ServiceConfig } from './config';
import type { ConsumerTable, Emit, Topic } from './events';
import { emitterFor } from './events/outbox';
import { AppError, badInput, notFound, unauthenticated } from './errors';
import type { Logger } from './logger';
import type { PubSub } from './pubsub';
import { isPlatformRole } from './permissions/catalog';
import type { DbManager } from './tenancy/db';
import { findTenant, type TenantRecord } from './tenancy/registry';
import { TenantCache } from './tenancy/tenant-cache';
import { parseBearer } from './auth/bearer';
import { assertTenantUsable } from './tenancy/tenant-db';

/**
 * Per-request context shared by every subgraph. `S` is the subgraph's typed
 * services (subgraphs/<name>/context.ts names `<Name>Context = RequestContext<<Name>Services>`).
 */
export interface RequestContext<S extends object = Readonly<Record<string, unknown>>> {
  requestId: string;
  service: string;
  config: ServiceConfig;
  db: DbManager;
  log: Logger;
  /** The verified token's claims, or null for anonymous callers. */
  auth: AccessClaims | null;
  /** Why a presented token was refused (reported by the permission rules). */
  authError: AppError | null;
  /** Headers forwarded on internal calls to other subgraphs. */
  forward: Record<string, string>;
  /** The end user's address as the gateway saw it (for the audit log). */
  clientIp?: string;
  /** Tenant slug or host the caller named (used only where no token names one). */
  requestedTenant: { slug?: string; host?: string };
  /** The caller's tenant, active; throws UNAUTHENTICATED / NOT_FOUND / TENANT_SUSPENDED. */
  tenant(): Promise<TenantRecord>;
  /** The caller's tenant database. */
  tenantDb(): Promise<Connection>;
  /**
   * Publishes an event after a committed write. Never throws: an event that
   * cannot be sent is logged, the write stands.
   */
  publish<P extends object>(topic: Topic<P>, payload: P): Promise<void>;
  /**
   * Stores a domain event durably before the mutation answers (throws if it
   * cannot): every consumer of the event (subgraphs/events.ts DOMAIN_CONSUMERS) gets it at least once.
   */
  emit: Emit;
  /** Service-specific dependencies given at start-up (e.g. message providers), typed per subgraph. */
  services: Readonly<S>;
  /** A value created once per request (DataLoaders, models). */
  memo<T>(key: string, create: () => T): T;
}

export interface ContextDeps<S extends object = Readonly<Record<string, unknown>>> {
  service: string;
  config: ServiceConfig;
  db: DbManager;
  log: Logger;
  pubsub: PubSub;
  /** Every consumer of every domain event (subgraphs/events.ts DOMAIN_CONSUMERS): whom `emit` writes deliveries for. */
  consumers: ConsumerTable;
  services?: Readonly<S>;
  /** Registry entries of active tenants for reads (core/tenancy/tenant-cache.ts); none = always look up. */
  tenantCache?: TenantCache;
}

export interface ContextOptions {
  /** The request can change nothing (no mutation in its document): it may use the tenant cache. */
  readOnly?: boolean;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export function createContext<S extends object = Readonly<Record<string, unknown>>>(
  deps: ContextDeps<S>,
  headers: IncomingHttpHeaders,
  opts: ContextOptions = {},
): RequestContext<S> {
  const requestId = sanitizeId(header(headers, 'x-request-id')) ?? randomUUID();
  const authorization = header(headers, 'authorization');
  let auth: AccessClaims | null = null;
  let authError: AppError | null = null;
  if (authorization) {
    // Never throw here: a bad token is reported per field by the rules, with its code.
    const token = parseBearer(authorization);
    try {
      if (!token) throw unauthenticated('Authorization header must be "Bearer <token>"');
      auth = verifyAccessToken(token, deps.config.security.jwtKeys);
    } catch (err) {
      authError = err as AppError;
    }
  }
  const slug = header(headers, 'x-tenant')?.trim().toLowerCase() || undefined;
  const host = (header(headers, 'x-forwarded-host') ?? header(headers, 'host'))?.split(':')[0];
  const forward: Record<string, string> = { 'x-request-id': requestId };
  if (authorization) forward.authorization = authorization;
  if (slug) forward['x-tenant'] = slug;

  const memos = new Map<string, unknown>();
  const memo = <T>(key: string, create: () => T): T => {
    if (!memos.has(key)) memos.set(key, create());
    return memos.get(key) as T;
  };

  const tenant = () =>
    memo('tenant', async () => {
      const record = await lookupTenant(deps.db, auth, slug, host, opts.readOnly ? deps.tenantCache : undefined);
      assertTenantUsable(record);
      return record;
    });

  return {
    requestId,
    service: deps.service,
    config: deps.config,
    db: deps.db,
    log: deps.log.child({ requestId, tenant: auth?.tsl ?? slug, user: auth?.sub }),
    auth,
    authError,
    forward,
    requestedTenant: { slug, host },
    clientIp: header(headers, 'x-forwarded-for')?.slice(0, 200) || undefined,
    services: deps.services ?? ({} as S),
    publish: <P extends object>(topic: Topic<P>, payload: P) =>
      deps.pubsub.publish(topic, payload).catch((err: unknown) => deps.log.error({ err, topic }, 'event not published')),
    emit: emitterFor(() => deps.db.platform(), deps.pubsub, deps.consumers),
    tenant,
    tenantDb: async () => deps.db.tenant((await tenant()).dbName),
    memo,
  };
}

/** Token wins: tenant users are bound to their token's tenant; only platform roles may pick one. */
async function lookupTenant(db: DbManager, auth: AccessClaims | null, slug?: string, host?: string, cache?: TenantCache): Promise<TenantRecord> {
  let by: { id?: string; slug?: string; domain?: string };
  if (auth && !isPlatformRole(auth.role)) by = { id: auth.tid };
  else if (auth) {
    if (!slug) throw badInput('x-tenant', 'platform users must name a tenant in the x-tenant header');
    by = { slug };
  } else if (slug) by = { slug };
  else if (host) by = { domain: host };
  else throw unauthenticated();
  const key = TenantCache.key(by);
  const cached = cache?.get(key);
  if (cached) return cached;
  const generation = cache?.generation;
  const record = await findTenant(db.platform(), by);
  if (!record) throw notFound('Tenant');
  cache?.set(key, record, generation);
  return record;
}

function sanitizeId(v: string | undefined): string | undefined {
  return v && /^[A-Za-z0-9._-]{1,64}$/.test(v) ? v : undefined;
}
