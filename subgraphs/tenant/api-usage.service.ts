import { Types, trusted, type Model } from 'mongoose';
import { badInput } from '../../core/errors';
import { parseId } from '../../core/ids';
import { isDuplicateKey, isOnlyDuplicateKeys, writeErrorsOf } from '../../core/store/duplicate-key';
import { daysBetween, istDay } from '../../core/tenant-time';
import { tenantById } from '../../core/tenancy/tenant-db';
import type { TenantContext } from './context';
import { USAGE_DAILY_MAX_DAYS, type ApiKeyUsageDailyArgs, type ApiKeyUsageFilter, type ApiUsageEntryInput, type TenantApiUsageArgs } from './api-usage.input';
import { apiUsageCountedModel, apiUsageDailyModel, tenantApiUsageDailyModel, type UsageCounters } from './api-usage.model';
import { apiKeyModel, apiKeyUseModel, type ApiKeyUseDoc } from './apikey.model';

/** Rows of one daily report at most (days × keys × operations). */
const DAILY_ROWS_MAX = 10_000;

const encodeCursor = (d: Pick<ApiKeyUseDoc, '_id' | 'at'>) => Buffer.from(`${d.at.getTime()}.${d._id.toHexString()}`).toString('base64url');

function decodeCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const m = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badInput('after', 'is not a cursor of this list');
  return { at: new Date(Number(m[1])), id: new Types.ObjectId(m[2]) };
}

/** The raw log of the caller's tenant (platform staff: the x-tenant one), newest first, `after` a previous page's last cursor. */
export async function listApiKeyUsage(
  ctx: TenantContext,
  keyId: string | undefined,
  filter: ApiKeyUsageFilter | undefined,
  after: string | undefined,
  first: number,
) {
  const query: Record<string, unknown> = {};
  if (keyId) query.keyId = parseId(keyId, 'keyId').toHexString();
  if (filter?.operationName) query.operationName = filter.operationName;
  if (filter?.status) query.status = filter.status;
  if (filter?.from || filter?.to) query.at = trusted({ ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) });
  if (after) {
    const c = decodeCursor(after);
    query.$or = [{ at: trusted({ $lt: c.at }) }, { at: c.at, _id: trusted({ $lt: c.id }) }];
  }
  const docs = await apiKeyUseModel(await ctx.tenantDb())
    .find(query)
    .sort({ at: -1, _id: -1 })
    .limit(first)
    .lean<ApiKeyUseDoc[]>();
  return docs.map((d) => ({
    keyId: d.keyId,
    operationName: d.operationName,
    at: d.at,
    cursor: encodeCursor(d),
    operationType: d.operationType ?? null,
    status: d.status ?? null,
    errorCodes: d.errorCodes ?? (d.status ? [] : null),
    latencyMs: d.latencyMs ?? null,
    requestBytes: d.requestBytes ?? null,
    responseBytes: d.responseBytes ?? null,
    requestId: d.requestId ?? null,
  }));
}

function dayRange(from: string, to: string) {
  if (daysBetween(from, to) >= USAGE_DAILY_MAX_DAYS) throw badInput('to', `must be less than ${USAGE_DAILY_MAX_DAYS} days after from`);
  return trusted({ $gte: from, $lte: to });
}

const withAverage = <T extends UsageCounters>(d: T) => ({ ...d, avgLatencyMs: d.requests ? Math.round(d.totalLatencyMs / d.requests) : 0 });

/** Daily aggregates by key and operation, maintained as requests are recorded (never a scan of the raw log). */
export async function apiKeyUsageDaily(ctx: TenantContext, args: ApiKeyUsageDailyArgs) {
  const query: Record<string, unknown> = { day: dayRange(args.from, args.to) };
  if (args.keyId) query.keyId = args.keyId;
  const docs = await apiUsageDailyModel(await ctx.tenantDb())
    .find(query)
    .sort({ day: 1, keyId: 1, operationName: 1 })
    .limit(DAILY_ROWS_MAX)
    .lean();
  return docs.map(withAverage);
}

/** Platform staff: every tenant's partner requests per day. */
export async function tenantApiUsageDaily(ctx: TenantContext, args: TenantApiUsageArgs) {
  const docs = await tenantApiUsageDailyModel(ctx.db.platform())
    .find({ day: dayRange(args.from, args.to) })
    .sort({ day: 1, tenantSlug: 1 })
    .limit(DAILY_ROWS_MAX)
    .lean();
  return docs.map(withAverage);
}

const countersOf = (e: ApiUsageEntryInput): UsageCounters => ({
  requests: 1,
  status2xx: e.status < 300 ? 1 : 0,
  status4xx: e.status >= 400 && e.status < 500 ? 1 : 0,
  status5xx: e.status >= 500 ? 1 : 0,
  withErrors: e.errorCodes.length ? 1 : 0,
  totalLatencyMs: e.latencyMs,
  maxLatencyMs: e.latencyMs,
  requestBytes: e.requestBytes,
  responseBytes: e.responseBytes,
});

function add(into: UsageCounters, c: UsageCounters) {
  for (const k of Object.keys(c) as (keyof UsageCounters)[]) into[k] = k === 'maxLatencyMs' ? Math.max(into[k], c[k]) : into[k] + c[k];
}

/** Sums entries per grouping key (one `$inc` per aggregate document and batch). */
function sumBy<K>(entries: ApiUsageEntryInput[], keyOf: (e: ApiUsageEntryInput) => string, seed: (e: ApiUsageEntryInput) => K) {
  const sums = new Map<string, { fields: K; counters: UsageCounters }>();
  for (const e of entries) {
    const id = keyOf(e);
    const s = sums.get(id);
    if (s) add(s.counters, countersOf(e));
    else sums.set(id, { fields: seed(e), counters: countersOf(e) });
  }
  return sums;
}

/**
 * `$inc` upsert of one aggregate. FerretDB has no transactions and two first upserts of
 * the same `_id` can race into a duplicate key: the document exists then, so once more.
 */
async function incUpsert<D>(model: Model<D>, _id: string, fields: object, { maxLatencyMs, ...counters }: UsageCounters): Promise<void> {
  const write = () => model.updateOne({ _id } as never, { $inc: counters, $max: { maxLatencyMs }, $setOnInsert: fields } as never, { upsert: true });
  try {
    await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await write();
  }
}

/** Entries whose use this batch is the first to record: a marker per use (unique `_id`), a retry finds it there. */
async function firstRecords(model: ReturnType<typeof apiUsageCountedModel>, entries: ApiUsageEntryInput[]): Promise<ApiUsageEntryInput[]> {
  try {
    await model.insertMany(
      entries.map((e) => ({ _id: e.useId, at: e.at })),
      { ordered: false },
    );
    return entries;
  } catch (err) {
    if (!isOnlyDuplicateKeys(err)) throw err;
    const seen = new Set(writeErrorsOf(err).map((w) => w.index));
    return entries.filter((_, i) => !seen.has(i));
  }
}

/**
 * Internal (the gateway, with its service token): completes each use of a key with
 * what the gateway measured and counts it once in the daily aggregates of its tenant
 * and of the platform. An entry is written only into the database of the tenant that
 * owns its key; entries naming another tenant are dropped. Returns how many were new.
 */
export async function recordApiUsage(ctx: TenantContext, entries: ApiUsageEntryInput[]): Promise<number> {
  const platform = ctx.db.platform();
  const keyIds = [...new Set(entries.map((e) => e.keyId))];
  const keys = await apiKeyModel(platform).find({ _id: keyIds }, { tenantId: 1 }).lean<{ _id: Types.ObjectId; tenantId: string }[]>();
  const owner = new Map(keys.map((k) => [k._id.toHexString(), k.tenantId]));
  const owned = entries.filter((e) => owner.get(e.keyId) === e.tenantId);
  if (owned.length < entries.length) ctx.log.warn({ dropped: entries.length - owned.length }, 'usage entries for keys of another tenant dropped');

  let recorded = 0;
  for (const tenantId of new Set(owned.map((e) => e.tenantId))) {
    const scope = await tenantById(ctx.db, tenantId);
    if (!scope) continue;
    const mine = owned.filter((e) => e.tenantId === tenantId);
    // The raw entries first (idempotent), then the counters of the uses seen for the first time.
    await apiKeyUseModel(scope.conn).bulkWrite(
      mine.map((e) => ({
        updateOne: {
          filter: { _id: new Types.ObjectId(e.useId), keyId: e.keyId },
          update: {
            $set: {
              operationName: e.operationName ?? null,
              operationType: e.operationType ?? null,
              status: e.status,
              errorCodes: e.errorCodes,
              latencyMs: e.latencyMs,
              requestBytes: e.requestBytes,
              responseBytes: e.responseBytes,
              requestId: e.requestId ?? null,
            },
          },
        },
      })),
      { ordered: false },
    );
    const fresh = await firstRecords(apiUsageCountedModel(scope.conn), mine);
    const day = (e: ApiUsageEntryInput) => istDay(e.at);
    const daily = apiUsageDailyModel(scope.conn);
    const byKey = sumBy(
      fresh,
      (e) => `${e.keyId}|${day(e)}|${e.operationName ?? ''}`,
      (e) => ({ keyId: e.keyId, day: day(e), operationName: e.operationName ?? null }),
    );
    for (const [id, s] of byKey) await incUpsert(daily, id, s.fields, s.counters);
    const perTenant = tenantApiUsageDailyModel(platform);
    const byDay = sumBy(
      fresh,
      (e) => `${tenantId}|${day(e)}`,
      (e) => ({ tenantId, tenantSlug: scope.tenant.slug, day: day(e) }),
    );
    for (const [id, s] of byDay) await incUpsert(perTenant, id, s.fields, s.counters);
    recorded += fresh.length;
  }
  return recorded;
}
