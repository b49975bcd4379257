import { AppError } from '../errors';
import { effectiveModules } from '../tenancy/plans';
import type { TenantModule, TenantModules } from '../tenancy/registry';

/** The module(s) one field needs; several = all of them. */
export type FieldModules = TenantModule | readonly TenantModule[];

/**
 * Which tenant module (core/tenancy/registry.ts TENANT_MODULES) each field belongs to, by
 * GraphQL type and field (`*` = every field of the type without its own entry). Each
 * subgraph declares its own beside its rules (`subgraphs/<name>/rules.ts`, handed over as
 * `SubgraphDefinition.modules`); every subgraph's shield (./shield.ts) and the gateway's
 * subscription check (subgraphs/rules.ts SUPERGRAPH_MODULES) refuse a field whose module
 * is switched off by the tenant or missing from its plan, with MODULE_DISABLED.
 *
 * Only tenant data operations are listed, and they bind every caller acting on the
 * tenant, platform staff (x-tenant) and partners included. Not listed, so never blocked:
 * login and public fields, the tenant's own administration, platform operations, and
 * money already moved (it is always settled). Object types (`*`) are listed where the
 * whole type is one module's data, so an entity reached through `_entities` or a
 * federated field is refused the same way.
 */
export type ModuleTable = Readonly<Record<string, Readonly<Record<string, FieldModules>>>>;

/** The modules `field` of `type` needs in `table` (none for most fields). */
export function modulesOf(table: ModuleTable, type: string, field: string): readonly TenantModule[] {
  const m = table[type]?.[field] ?? table[type]?.['*'];
  if (!m) return [];
  return typeof m === 'string' ? [m] : m;
}

const same = (a: FieldModules, b: FieldModules) => JSON.stringify(typeof a === 'string' ? [a] : a) === JSON.stringify(typeof b === 'string' ? [b] : b);

/** Several tables as one; a field named twice must need the same modules, otherwise this throws. */
export function mergeModules(...tables: ModuleTable[]): ModuleTable {
  const out: Record<string, Record<string, FieldModules>> = {};
  for (const table of tables) {
    for (const [type, fields] of Object.entries(table)) {
      const merged = (out[type] ??= {});
      for (const [field, m] of Object.entries(fields)) {
        if (merged[field] !== undefined && !same(merged[field], m)) throw new Error(`Conflicting modules for ${type}.${field}`);
        merged[field] = m;
      }
    }
  }
  return out;
}

/** The first of `needed` that the tenant has switched off (or its plan lacks), or null. */
export function disabledModule(tenant: { plan: string; modules?: TenantModules }, needed: readonly TenantModule[]): TenantModule | null {
  if (needed.length === 0) return null;
  const on = effectiveModules(tenant.plan, tenant.modules);
  return needed.find((m) => !on[m]) ?? null;
}

export const moduleDisabled = (module: TenantModule) =>
  new AppError('MODULE_DISABLED', `The ${module} module is not enabled for this tenant (switched off or not in its plan)`, { module });
