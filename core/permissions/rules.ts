import type { Permission } from './catalog';

/** 'public': anyone; 'authenticated': any valid token; otherwise the permission needed. */
export type RuleSpec = 'public' | 'authenticated' | Permission;
/** One type's rules: by field name, `*` for every field without its own entry. */
export type TypeRules = Readonly<Record<string, RuleSpec>>;
/** Rules by GraphQL type name, as a subgraph hands them to the shield (SubgraphDefinition.rules). */
export type RuleTable = Readonly<Record<string, TypeRules>>;

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
        if (merged[field] !== undefined && merged[field] !== spec) {
          throw new Error(`Conflicting rules for ${type}.${field}: ${merged[field]} and ${spec}`);
        }
        merged[field] = spec;
      }
    }
  }
  return out;
}
