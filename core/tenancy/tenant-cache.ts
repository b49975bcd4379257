import type { TenantRecord } from './registry';

/**
 * Registry entries of active tenants, kept per process so a read does not cost a
 * registry lookup on every subgraph fetch (9 of W1's 33 database commands; at
 * thousands of tenants each seen every few seconds, most of W4's). Safe by construction:
 * - only reads use it (core/context.ts): a mutation always reads the registry,
 *   so suspension, read-only moves and plan limits hold for every write at once;
 * - only `active`, writable entries are kept: a cached entry can only be stale
 *   about a change away from active. Every registry write clears every process's
 *   cache: at once through the bus (topics.tenantStatus / topics.tenantChanged), and
 *   within a poll through the registry version (core/tenancy/registry-version.ts),
 *   which needs no bus. The TTL only bounds edits made behind the model's back;
 * - an entry read before a clear is not stored after it (the generation check);
 * - entries are frozen: one request cannot change what the next one sees.
 */
export class TenantCache {
  private readonly entries = new Map<string, { record: TenantRecord; until: number }>();
  private gen = 0;

  /** `max` entries: a preloaded tenant takes two or three (id, slug, domain), so 100,000 hold 30,000 tenants. */
  constructor(
    private readonly ttlMs: number,
    private readonly max = 100_000,
  ) {}

  /** How a lookup names a tenant in this cache. */
  static key(by: { id?: string; slug?: string; domain?: string }): string {
    return by.id ? `id:${by.id}` : by.slug ? `slug:${by.slug}` : `domain:${by.domain}`;
  }

  /**
   * Stores whole registry records under each of their names (core/tenancy/tenant-preload.ts);
   * the registry is the truth: a record no longer active or writable drops its entries.
   */
  fill(records: TenantRecord[], generation: number): void {
    if (generation !== this.gen) return;
    for (const r of records) {
      const keys = [
        TenantCache.key({ id: r._id.toHexString() }),
        TenantCache.key({ slug: r.slug }),
        ...(r.domain ? [TenantCache.key({ domain: r.domain })] : []),
      ];
      for (const key of keys) {
        if (r.status === 'active' && !r.readOnly) this.set(key, r, generation);
        else this.entries.delete(key);
      }
    }
  }

  get(key: string): TenantRecord | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > Date.now()) return e.record;
    this.entries.delete(key);
    return undefined;
  }

  /** Take before reading the registry, pass to `set`: a clear in between means the record may predate a change. */
  get generation(): number {
    return this.gen;
  }

  set(key: string, record: TenantRecord, generation = this.gen): void {
    if (this.ttlMs <= 0 || generation !== this.gen || record.status !== 'active' || record.readOnly) return;
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { record: deepFreeze(record), until: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Plain objects and arrays only: an ObjectId's bytes cannot be frozen (and are not shared state). */
function deepFreeze<T>(o: T): T {
  const plain = Array.isArray(o) || (o && typeof o === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(o)));
  if (plain && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** A document with no mutation or subscription in it (a mention in a name or string only costs a fresh read). */
export const isReadOnlyDocument = (query: unknown): boolean => typeof query === 'string' && !/\b(mutation|subscription)\b/.test(query);
