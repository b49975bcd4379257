import { trusted, type Connection } from 'mongoose';
import type { Emit } from '../../core/events';
import { can, type Role } from '../../core/permissions/catalog';
import { tenantById } from '../../core/tenancy/tenant-db';
import type { TenantDeps } from './context';
import { apiKeyModel, type ApiKeyDoc } from './apikey.model';
import { overridesClaim } from './auth.service';
import { userModel, type UserDoc } from './user.model';

const DAY_MS = 86_400_000;

/** The tenant's active users who may manage API keys: whom a key's expiry concerns. */
async function keyManagers(conn: Connection): Promise<string[]> {
  const users = await userModel(conn).find({ status: 'active' }, { role: 1, grant: 1, revoke: 1 }).lean<UserDoc[]>();
  return users.filter((u) => can({ role: u.role as Role, prm: overridesClaim(u) }, 'apikeys:manage')).map((u) => u._id.toHexString());
}

/**
 * Announces the partner API keys that expire within `days` (unrevoked): one `apikey.expiring`
 * per key and expiry, however often this runs (the event key), so owners can rotate before
 * partner calls start failing with UNAUTHENTICATED. Keys live in the platform database: one
 * query for every tenant. Returns the keys announced by this run (repeats included).
 */
export async function announceExpiringKeys(deps: Pick<TenantDeps, 'db' | 'tenantCache'>, emit: Emit, now: Date, days: number): Promise<number> {
  const keys = await apiKeyModel(deps.db.platform())
    .find({ revokedAt: null, expiresAt: trusted({ $gt: now, $lte: new Date(now.getTime() + days * DAY_MS) }) }, { tenantId: 1, expiresAt: 1 })
    .lean<Pick<ApiKeyDoc, '_id' | 'tenantId' | 'expiresAt'>[]>();
  const managers = new Map<string, string[]>();
  let announced = 0;
  for (const k of keys) {
    const found = await tenantById(deps.db, k.tenantId, { active: true, cache: deps.tenantCache });
    if (!found) continue; // a suspended or deleted tenant's keys work nowhere anyway
    if (!managers.has(k.tenantId)) managers.set(k.tenantId, await keyManagers(found.conn));
    const expiresAt = k.expiresAt!;
    const fact = {
      tenantId: k.tenantId,
      keyId: k._id.toHexString(),
      expiresAt: expiresAt.toISOString(),
      daysLeft: Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS),
      userIds: managers.get(k.tenantId)!,
    };
    await emit('apikey.expiring', fact, `${fact.keyId}:${expiresAt.getTime()}`);
    announced++;
  }
  return announced;
}
