import { isObjectType, type GraphQLSchema } from 'graphql';
import { allow, deny, rule, shield, type IRules } from 'graphql-shield';
import type { RequestContext } from '../context';
import { forbidden, unauthenticated } from '../errors';
import type { TenantModule } from '../tenancy/registry';
import { can } from './catalog';
import type { RuleSpec, RuleTable } from './rules';
import { disabledModule, moduleDisabled, modulesOf, type ModuleTable } from './modules';

type ShieldRule = typeof allow | ReturnType<ReturnType<typeof rule>>;

const isAuthenticated = rule('authenticated', { cache: 'contextual' })((_p, _a, ctx: RequestContext) =>
  ctx.auth ? true : (ctx.authError ?? unauthenticated()),
);

const permissionRules = new Map<string, ShieldRule>();

function ruleFor(spec: RuleSpec): ShieldRule {
  if (spec === 'public') return allow;
  if (spec === 'authenticated') return isAuthenticated;
  let r = permissionRules.get(spec);
  if (!r) {
    // Depends on the caller only, so one evaluation per request is enough.
    r = rule(`can:${spec}`, { cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
      if (!ctx.auth) return ctx.authError ?? unauthenticated();
      return can(ctx.auth, spec) ? true : forbidden(`Missing permission ${spec}`);
    });
    permissionRules.set(spec, r);
  }
  return r;
}

/**
 * The field's permission and its modules in ONE rule per (permission, modules)
 * pair, cached per request like the permission alone: the module check costs one
 * evaluation per request, on the tenant record the request reads anyway (ctx.tenant(),
 * memoised, from the tenant cache on reads), not one per field or per row.
 */
function ruleWithModules(spec: RuleSpec, modules: readonly TenantModule[]): ShieldRule {
  if (modules.length === 0) return ruleFor(spec);
  const name = `${spec}|module:${modules.join('+')}`;
  let r = permissionRules.get(name);
  if (!r) {
    const base = spec === 'public' || spec === 'authenticated' ? null : spec;
    r = rule(name, { cache: 'contextual' })(async (_p, _a, ctx: RequestContext) => {
      if (!ctx.auth) return ctx.authError ?? unauthenticated();
      if (base && !can(ctx.auth, base)) return forbidden(`Missing permission ${base}`);
      try {
        const off = disabledModule(await ctx.tenant(), modules);
        return off ? moduleDisabled(off) : true;
      } catch (err) {
        return err as Error; // no tenant (e.g. platform user without x-tenant): its own coded error
      }
    });
    permissionRules.set(name, r);
  }
  return r;
}

/** Federation's own entry points: the type rules below still guard every field they return. */
const FEDERATION_FIELDS: Record<string, Record<string, ShieldRule>> = {
  Query: { _entities: allow, _service: allow },
  _Service: { sdl: allow },
};

/**
 * Builds the rule tree for every object type of `schema` from the subgraph's rules and its
 * module table (./modules.ts). Fields without a rule (and types without rules) fall to `deny`;
 * `unknown` lists rules or module entries naming a field the schema lacks (a typo or a removed field).
 */
export function buildRuleTree(schema: GraphQLSchema, table: RuleTable, modules: ModuleTable = {}): { tree: IRules; missing: string[]; unknown: string[] } {
  const tree: Record<string, Record<string, ShieldRule>> = {};
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const [named, isModules] of [
    [table, false],
    [modules, true],
  ] as const) {
    for (const [typeName, rules] of Object.entries(named)) {
      const type = schema.getType(typeName);
      const fields = isObjectType(type) ? type.getFields() : {};
      // A module entry for a type this subgraph lacks guards nothing: it belongs to another subgraph.
      if (isModules && !isObjectType(type)) unknown.push(`${typeName} (modules)`);
      for (const field of Object.keys(rules)) if (field !== '*' && !fields[field]) unknown.push(`${typeName}.${field}`);
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const rules = table[type.name] ?? {};
    const fed = FEDERATION_FIELDS[type.name] ?? {};
    const fields: Record<string, ShieldRule> = {};
    for (const field of Object.keys(type.getFields())) {
      const spec = rules[field] ?? rules['*'];
      if (fed[field]) fields[field] = fed[field];
      else if (spec) fields[field] = ruleWithModules(spec, modulesOf(modules, type.name, field));
      else missing.push(`${type.name}.${field}`);
    }
    tree[type.name] = fields;
  }
  return { tree, missing, unknown };
}

export function createShield(schema: GraphQLSchema, table: RuleTable, modules: ModuleTable = {}) {
  const { tree } = buildRuleTree(schema, table, modules);
  return shield(tree, {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    // Our resolvers throw coded errors; let them through (masking happens in formatError).
    allowExternalErrors: true,
    debug: false,
  });
}
