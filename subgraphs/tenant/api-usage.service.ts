import { createHash } from 'node:crypto';
import { Types, trusted, type Model } from 'mongoose';
import { badInput } from '../../core/errors';
import { parseId } from '../../core/ids';
import { appendOnce, syncProjection } from '../../core/store/append-chain';
import { isOnlyDuplicateKeys } from '../../core/store/duplicate-key';
import { daysBetween, istDay } from '../../core/tenant-time';
import { tenantById } from '../../core/tenancy/tenant-db';
import type { TenantContext } from './context';
import { USAGE_DAILY_MAX_DAYS, type ApiKeyUsageDailyArgs, type ApiKeyUsageFilter, type ApiUsageEntryInput, type TenantApiUsageArgs } from './api-usage.input';
import {
  apiUsageCountedModel,
  apiUsageDailyModel,
  apiUsageStore,
  tenantApiUsageDailyModel,
  tenantApiUsageStore,
  type ApiUsageDailyDoc,
  type TenantApiUsageDailyDoc,
  type UsageCounters,
} from './api-usage.model';
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
  const sums = new Map<string, { fields: K; counters: UsageCounters; uses: string[] }>();
  for (const e of entries) {
    const id = keyOf(e);
    const s = sums.get(id);
    if (s) {
      add(s.counters, countersOf(e));
      s.uses.push(e.useId);
    } else sums.set(id, { fields: seed(e), counters: countersOf(e), uses: [e.useId] });
  }
  return sums;
}

/** Running totals plus one batch's sums. */
function plus(state: UsageCounters | undefined, sums: UsageCounters): UsageCounters {
  const next = { ...sums };
  if (state) add(next, state);
  return next;
}

/**
 * Adds one batch's sums to an aggregate: one append to its chain (the batch's uses name
 * the entry, so the same batch again, even concurrently, adds nothing), then the head
 * copied onto the aggregate document the reports read.
 */
async function addToAggregate(
  store: ReturnType<typeof apiUsageStore>,
  projection: Model<ApiUsageDailyDoc> | Model<TenantApiUsageDailyDoc>,
  chain: string,
  uses: string[],
  day: string,
  fields: object,
  sums: UsageCounters,
): Promise<void> {
  const key = `${chain}#${createHash('sha256').update(uses.sort().join(',')).digest('base64url')}`;
  await appendOnce(store, chain, key, (head) => ({ day, state: plus(head?.state, sums) }), { lookFirst: false });
  await syncProjection(store, chain, async (head) => {
    await (projection as Model<ApiUsageDailyDoc>).updateOne({ _id: chain }, { $set: { ...fields, ...head.state, seq: head.seq } }, { upsert: true });
  });
}

/** Entries not counted yet: no marker for their use. */
async function uncounted(model: ReturnType<typeof apiUsageCountedModel>, entries: ApiUsageEntryInput[]): Promise<ApiUsageEntryInput[]> {
  const seen = new Set((await model.find({ _id: trusted({ $in: entries.map((e) => e.useId) }) }, { _id: 1 }).lean()).map((d) => d._id));
  return entries.filter((e) => !seen.has(e.useId));
}

/** Marks uses as counted, after their counts are in: a batch that failed before this is counted by its retry (same chain keys). */
async function markCounted(model: ReturnType<typeof apiUsageCountedModel>, entries: ApiUsageEntryInput[]): Promise<void> {
  if (!entries.length) return;
  try {
    await model.insertMany(
      entries.map((e) => ({ _id: e.useId, at: e.at })),
      { ordered: false },
    );
  } catch (err) {
    if (!isOnlyDuplicateKeys(err)) throw err; // a concurrent twin marked them
  }
}

/**
 * Internal (the gateway, with its service token): completes each use of a key with
 * what the gateway measured and counts it once in the daily aggregates of its tenant
 * and of the platform (a retried or concurrent twin batch counts nothing more). An entry is written only into the database of the tenant that
 * owns its key; entries naming another tenant are dropped. Returns how many were new.
 */
export async function recordApiUsage(ctx: TenantContext, entries: ApiUsageEntryInput[]): Promise<number> {
  const platform = ctx.db.platform();
  // $in, not a bare array: mongoose casts `{ _id: [a, b] }` as one ObjectId and fails for two keys in a batch.
  const keyIds = [...new Set(entries.map((e) => e.keyId))].filter((id) => Types.ObjectId.isValid(id));
  const keys = await apiKeyModel(platform)
    .find({ _id: trusted({ $in: keyIds }) }, { tenantId: 1 })
    .lean<{ _id: Types.ObjectId; tenantId: string }[]>();
  const owner = new Map(keys.map((k) => [k._id.toHexString(), k.tenantId]));
  const owned = entries.filter((e) => owner.get(e.keyId) === e.tenantId);
  if (owned.length < entries.length) ctx.log.warn({ dropped: entries.length - owned.length }, 'usage entries for keys of another tenant dropped');

  let recorded = 0;
  for (const tenantId of new Set(owned.map((e) => e.tenantId))) {
    const scope = await tenantById(ctx.db, tenantId);
    if (!scope) continue;
    const mine = owned.filter((e) => e.tenantId === tenantId);
    // The raw entries first (idempotent), then the counters of the uses seen for the first time.
    // One update per entry, not one bulkWrite: FerretDB runs a multi-statement update as one
    // long SQLite write transaction, which stalled the key exchanges inserting into the same
    // collection under steady partner traffic (scripts/bench/api-usage.ts hung).
    const Uses = apiKeyUseModel(scope.conn);
    for (const e of mine) {
      // By _id alone, which FerretDB looks up directly (another field in the filter scans the
      // collection); the entry's key was checked against its tenant above.
      await Uses.updateOne(
        { _id: new Types.ObjectId(e.useId) },
        {
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
      );
    }
    const counted = apiUsageCountedModel(scope.conn);
    const fresh = await uncounted(counted, mine);
    const day = (e: ApiUsageEntryInput) => istDay(e.at);
    const byKey = sumBy(
      fresh,
      (e) => `${e.keyId}|${day(e)}|${e.operationName ?? ''}`,
      (e) => ({ keyId: e.keyId, day: day(e), operationName: e.operationName ?? null }),
    );
    const store = apiUsageStore(scope.conn);
    const daily = apiUsageDailyModel(scope.conn);
    for (const [chain, s] of byKey) await addToAggregate(store, daily, chain, s.uses, s.fields.day, s.fields, s.counters);
    const byDay = sumBy(
      fresh,
      (e) => `${tenantId}|${day(e)}`,
      (e) => ({ tenantId, tenantSlug: scope.tenant.slug, day: day(e) }),
    );
    const platformStore = tenantApiUsageStore(platform);
    const perTenant = tenantApiUsageDailyModel(platform);
    for (const [chain, s] of byDay) await addToAggregate(platformStore, perTenant, chain, s.uses, s.fields.day, s.fields, s.counters);
    await markCounted(counted, fresh);
    recorded += fresh.length;
  }
  return recorded;
}
