import { isObjectType, type GraphQLSchema } from 'graphql';
import { allow, deny, rule, shield, type IRules } from 'graphql-shield';
import type { RequestContext } from '../context';
import { forbidden, unauthenticated } from '../errors';
import { can, FIELD_RULES, type RuleSpec } from './catalog';

type ShieldRule = typeof allow | ReturnType<ReturnType<typeof rule>>;

const isAuthenticated = rule('authenticated', { cache: 'contextual' })(
  (_p, _a, ctx: RequestContext) => (ctx.auth ? true : (ctx.authError ?? unauthenticated())),
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

/** Federation's own entry points: the type rules below still guard every field they return. */
const FEDERATION_FIELDS: Record<string, Record<string, ShieldRule>> = {
  Query: { _entities: allow, _service: allow },
  _Service: { sdl: allow },
};

/**
 * Builds the rule tree for every object type of `schema` from the catalog. Fields
 * without a rule (and types missing from the catalog) fall to `deny`.
 */
export function buildRuleTree(schema: GraphQLSchema): { tree: IRules; missing: string[] } {
  const tree: Record<string, Record<string, ShieldRule>> = {};
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const rules = FIELD_RULES[type.name] ?? {};
    const fed = FEDERATION_FIELDS[type.name] ?? {};
    const fields: Record<string, ShieldRule> = {};
    for (const field of Object.keys(type.getFields())) {
      const spec = rules[field] ?? rules['*'];
      if (fed[field]) fields[field] = fed[field];
      else if (spec) fields[field] = ruleFor(spec);
      else missing.push(`${type.name}.${field}`);
    }
    tree[type.name] = fields;
  }
  return { tree, missing };
}

export function createShield(schema: GraphQLSchema) {
  const { tree } = buildRuleTree(schema);
  return shield(tree, {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    // Our resolvers throw coded errors; let them through (masking happens in formatError).
    allowExternalErrors: true,
    debug: false,
  });
}
