import { isObjectType, type GraphQLSchema } from 'graphql';
import { allow, deny, rule, shield, type IRules } from 'graphql-shield';
import type { RequestContext } from '../context';
import { forbidden, unauthenticated } from '../errors';
import type { TenantModule } from '../tenancy/registry';
import { missingPermission, specText, type RuleSpec, type RuleTable } from './rules';
import { disabledModule, moduleDisabled, modulesOf, type ModuleTable } from './modules';

type ShieldRule = typeof allow | ReturnType<ReturnType<typeof rule>>;

const isAuthenticated = rule('authenticated', { cache: 'contextual' })((_p, _a, ctx: RequestContext) =>
  ctx.auth ? true : (ctx.authError ?? unauthenticated()),
);

/** Shield rules by name (`can:<spec text>`, plus `|module:…`): one per distinct requirement, so two different lists never share one. */
const permissionRules = new Map<string, ShieldRule>();

function ruleFor(spec: RuleSpec): ShieldRule {
  if (spec === 'public') return allow;
  if (spec === 'authenticated') return isAuthenticated;
  const name = `can:${specText(spec)}`;
  let r = permissionRules.get(name);
  if (!r) {
    // Depends on the caller only, so one evaluation per request is enough.
    r = rule(name, { cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
      if (!ctx.auth) return ctx.authError ?? unauthenticated();
      const missing = missingPermission(ctx.auth, spec);
      return missing ? forbidden(`Missing permission ${missing}`) : true;
    });
    permissionRules.set(name, r);
  }
  return r;
}

/**
 * The field's permission(s) and its modules in ONE rule per (permissions, modules)
 * pair, cached per request like the permissions alone: the module check costs one
 * evaluation per request, on the tenant record the request reads anyway (ctx.tenant(),
 * memoised, from the tenant cache on reads), not one per field or per row.
 */
function ruleWithModules(spec: RuleSpec, modules: readonly TenantModule[]): ShieldRule {
  if (modules.length === 0) return ruleFor(spec);
  const name = `${specText(spec)}|module:${modules.join('+')}`;
  let r = permissionRules.get(name);
  if (!r) {
    r = rule(name, { cache: 'contextual' })(async (_p, _a, ctx: RequestContext) => {
      if (!ctx.auth) return ctx.authError ?? unauthenticated();
      const missing = missingPermission(ctx.auth, spec);
      if (missing) return forbidden(`Missing permission ${missing}`);
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
