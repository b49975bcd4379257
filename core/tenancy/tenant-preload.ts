import type { Connection } from 'mongoose';
import type { Logger } from '../logger';
import { tenantRegistry, type TenantRecord } from './registry';
import type { TenantCache } from './tenant-cache';

export interface TenantPreloadOptions {
  /** The platform database (the registry). */
  platform: () => Connection;
  /** The process's cache of registry entries, filled with every active tenant. */
  cache: TenantCache;
  /** Reload this often (keep it under the cache's TTL, so entries never lapse), in ms. */
  everyMs: number;
  log: Logger;
}

export interface TenantPreload {
  /** Reload shortly (after a registry change cleared the cache); bursts of changes make one load. */
  soon(): void;
  stop(): void;
}

/**
 * useTenantPreload: keeps every active tenant's registry entry in the process's cache, so
 * a read never looks a tenant up, however many tenants there are and however cold. On
 * FerretDB even a registry read by `_id` scans the collection (17 ms at 5,000 tenants,
 * twice per cold request: issue 19); on MongoDB it is an index lookup, and this still
 * saves the round trip. One read of the whole registry per `everyMs` and after changes
 * (on FerretDB ~1.7 s of database CPU at 10,000 tenants: keep `everyMs` in minutes).
 * Writes keep reading the registry themselves (core/context.ts).
 */
export function useTenantPreload(opts: TenantPreloadOptions): TenantPreload {
  let loading: Promise<void> | null = null;
  let again = false;
  let pending: NodeJS.Timeout | undefined;
  const load = (): Promise<void> => {
    if (loading) {
      again = true;
      return loading;
    }
    const generation = opts.cache.generation;
    loading = tenantRegistry(opts.platform())
      .find({})
      .lean<TenantRecord[]>()
      // A change during the read bumps the generation: fill() then stores nothing, and `again` reloads.
      .then((records) => opts.cache.fill(records, generation))
      .catch((err: unknown) => opts.log.warn({ err }, 'tenant registry preload failed'))
      .finally(() => {
        loading = null;
        if (again) {
          again = false;
          void load();
        }
      });
    return loading;
  };
  const timer = setInterval(() => void load(), opts.everyMs);
  timer.unref();
  // The first load: soon() from the registry version watcher's first check, which always
  // clears (no baseline yet). Loading here as well would be thrown away by that clear.
  return {
    soon() {
      if (pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        void load();
      }, 200);
      pending.unref();
    },
    stop() {
      clearInterval(timer);
      if (pending) clearTimeout(pending);
    },
  };
}
