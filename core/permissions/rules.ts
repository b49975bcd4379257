import { can, type Permission } from './catalog';

/**
 * 'public': anyone; 'authenticated': any valid token; otherwise the permission needed, or a
 * list of permissions that are ALL needed (e.g. converting a lead writes CRM and creates a tenant).
 */
export type RuleSpec = 'public' | 'authenticated' | Permission | readonly [Permission, ...Permission[]];
/** One type's rules: by field name, `*` for every field without its own entry. */
export type TypeRules = Readonly<Record<string, RuleSpec>>;
/** Rules by GraphQL type name, as a subgraph hands them to the shield (SubgraphDefinition.rules). */
export type RuleTable = Readonly<Record<string, TypeRules>>;

/** The permissions a spec requires, sorted and without repeats; none for 'public' and 'authenticated'. */
export function permissionsOf(spec: RuleSpec): readonly Permission[] {
  if (spec === 'public' || spec === 'authenticated') return [];
  return typeof spec === 'string' ? [spec] : [...new Set(spec)].sort();
}

/**
 * A spec as one string, `a + b` for a list: equal for equal requirements whatever the list's
 * order (a one-permission list reads as the permission), so it compares, keys caches and documents specs.
 */
export function specText(spec: RuleSpec): string {
  return spec === 'public' || spec === 'authenticated' ? spec : permissionsOf(spec).join(' + ');
}

/** The first permission of `spec` the caller lacks, or null when it holds them all. */
export function missingPermission(auth: Parameters<typeof can>[0], spec: RuleSpec): Permission | null {
  return permissionsOf(spec).find((p) => !can(auth, p)) ?? null;
}

/**
 * A type's rules with keys checked against its class: `*` or a field of `T`, plus the
 * names in `Extra` for fields a resolver adds (`@FieldResolver`), which the class does not declare.
 */
export function typeRules<T, Extra extends string = never>(
  rules: { readonly '*'?: RuleSpec } & { readonly [K in (keyof T & string) | Extra]?: RuleSpec },
): TypeRules {
  return rules as TypeRules;
}

/**
 * Several tables as one. A field named twice must carry the same rule (an entity shared by
 * subgraphs is guarded the same way whichever one serves it), otherwise this throws at start-up.
 */
export function mergeRules(...tables: RuleTable[]): RuleTable {
  const out: Record<string, Record<string, RuleSpec>> = {};
  for (const table of tables) {
    for (const [type, rules] of Object.entries(table)) {
      const merged = (out[type] ??= {});
      for (const [field, spec] of Object.entries(rules)) {
        if (merged[field] !== undefined && specText(merged[field]) !== specText(spec)) {
          throw new Error(`Conflicting rules for ${type}.${field}: ${specText(merged[field])} and ${specText(spec)}`);
        }
        merged[field] = spec;
      }
    }
  }
  return out;
}
