import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashToken, signAccessToken } from '../../core/auth/tokens';
import type { TenantContext } from './context';
import { badInput, notFound, unauthenticated } from '../../core/errors';
import { parseId } from '../../core/ids';
import { PARTNER_ROLE } from '../../core/permissions/catalog';
import { findTenant } from '../../core/tenancy/registry';
import { usableTenantDb } from '../../core/tenancy/tenant-db';
import type { CreateApiKeyInput } from './apikey.input';
import { apiKeyModel, apiKeyUseModel, type ApiKeyDoc } from './apikey.model';

/** Partner tokens live just long enough for one request through the gateway. */
const PARTNER_TOKEN_TTL = 60;
const KEY_FORMAT = /^ssk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function newKey() {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const key = `ssk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashToken(key) };
}

export async function createApiKey(ctx: TenantContext, input: CreateApiKeyInput) {
  const tenant = await ctx.tenant();
  const { key, prefix, hash } = newKey();
  const doc = await apiKeyModel(ctx.db.platform()).create({
    tenantId: tenant._id.toHexString(),
    name: input.name,
    prefix,
    hash,
    scopes: [...new Set(input.scopes)],
    rateLimitPerMinute: input.rateLimitPerMinute,
    trustedDocumentsOnly: input.trustedDocumentsOnly ?? false,
    expiresAt: input.expiresAt ?? null,
    createdBy: ctx.auth!.sub,
  });
  return { key, apiKey: toApiKey(doc.toObject()) };
}

export async function listApiKeys(ctx: TenantContext) {
  const tenant = await ctx.tenant();
  const docs = await apiKeyModel(ctx.db.platform()).find({ tenantId: tenant._id.toHexString() }).sort({ createdAt: -1 }).lean<ApiKeyDoc[]>();
  return docs.map(toApiKey);
}

/** Only keys of the caller's own tenant are found; anything else is NOT_FOUND. */
async function ownKey(ctx: TenantContext, id: string): Promise<ApiKeyDoc> {
  const tenant = await ctx.tenant();
  const doc = await apiKeyModel(ctx.db.platform())
    .findOne({ _id: parseId(id, 'id'), tenantId: tenant._id.toHexString() })
    .lean<ApiKeyDoc>();
  if (!doc) throw notFound('API key');
  return doc;
}

export async function revokeApiKey(ctx: TenantContext, id: string, replacedBy: string | null = null) {
  const doc = await ownKey(ctx, id);
  const revokedAt = doc.revokedAt ?? new Date();
  await apiKeyModel(ctx.db.platform()).updateOne({ _id: doc._id }, { $set: { revokedAt } });
  // Its webhook endpoints stop receiving (messaging's consumer disables them); the key is the event key.
  const keyId = doc._id.toHexString();
  await ctx.emit('apikey.revoked', { tenantId: doc.tenantId, keyId, replacedBy }, keyId);
  return toApiKey({ ...doc, revokedAt });
}

/** A new secret with the same settings; the old key stops working at once. */
export async function rotateApiKey(ctx: TenantContext, id: string) {
  const old = await ownKey(ctx, id);
  if (old.revokedAt) throw badInput('id', 'is revoked; create a new key instead');
  const created = await createApiKey(ctx, {
    name: old.name,
    scopes: old.scopes,
    rateLimitPerMinute: old.rateLimitPerMinute,
    trustedDocumentsOnly: old.trustedDocumentsOnly ?? false,
    expiresAt: old.expiresAt ?? undefined,
  });
  // The old key stops at once; its webhook endpoints move to the new key.
  await revokeApiKey(ctx, id, created.apiKey.id);
  return created;
}

/** Switches a key into or out of trusted-documents mode; effective from its next request. */
export async function setApiKeyTrustedDocumentsOnly(ctx: TenantContext, id: string, enabled: boolean) {
  const doc = await ownKey(ctx, id);
  await apiKeyModel(ctx.db.platform()).updateOne({ _id: doc._id }, { $set: { trustedDocumentsOnly: enabled } });
  return toApiKey({ ...doc, trustedDocumentsOnly: enabled });
}

/**
 * Internal, for the gateway's partner endpoint: a valid, unexpired, unrevoked
 * key of an active tenant becomes a one-minute partner token. Every use is
 * audited (key, time, operation name); the gateway completes that entry once
 * answered (recordApiUsage, api-usage.service.ts).
 */
export async function exchangeApiKey(ctx: TenantContext, key: string, operationName: string | null) {
  const m = KEY_FORMAT.exec(key);
  const refused = () => unauthenticated('Invalid API key');
  if (!m) throw refused();
  const doc = await apiKeyModel(ctx.db.platform()).findOne({ prefix: m[1] }).lean<ApiKeyDoc>();
  const presented = Buffer.from(hashToken(key));
  if (!doc || !timingSafeEqual(presented, Buffer.from(doc.hash))) throw refused();
  if (doc.revokedAt) throw unauthenticated('This API key has been revoked');
  if (doc.expiresAt && doc.expiresAt.getTime() <= Date.now()) throw unauthenticated('This API key has expired');
  const tenant = await findTenant(ctx.db.platform(), { id: doc.tenantId });
  if (!tenant) throw refused();
  const conn = usableTenantDb(ctx.db, tenant);
  const at = new Date();
  const use = await apiKeyUseModel(conn).create({ keyId: doc._id.toHexString(), operationName, at });
  await apiKeyModel(ctx.db.platform()).updateOne({ _id: doc._id }, { $set: { lastUsedAt: at } });
  const accessToken = signAccessToken(
    { sub: `apikey:${doc._id.toHexString()}`, role: PARTNER_ROLE, tid: tenant._id.toHexString(), tsl: tenant.slug, scp: doc.scopes },
    ctx.config.security.jwtKeys,
    PARTNER_TOKEN_TTL,
  );
  return {
    accessToken,
    keyId: doc._id.toHexString(),
    rateLimitPerMinute: doc.rateLimitPerMinute,
    trustedDocumentsOnly: doc.trustedDocumentsOnly ?? false,
    tenantId: tenant._id.toHexString(),
    useId: use._id.toHexString(),
  };
}

export const toApiKey = (d: ApiKeyDoc) => ({
  id: d._id.toHexString(),
  name: d.name,
  prefix: d.prefix,
  scopes: d.scopes,
  rateLimitPerMinute: d.rateLimitPerMinute,
  trustedDocumentsOnly: d.trustedDocumentsOnly ?? false,
  expiresAt: d.expiresAt ?? null,
  revokedAt: d.revokedAt ?? null,
  lastUsedAt: d.lastUsedAt ?? null,
  createdAt: d.createdAt,
});
