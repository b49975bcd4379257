import { FIELD_RULES, PERMISSIONS, PLATFORM_ROLES, ROLE_PERMISSIONS, TENANT_ROLES, type Role } from '../core/permissions/catalog';

const ROLES: Role[] = [...PLATFORM_ROLES, ...TENANT_ROLES];

/** docs/permissions.md, generated from the catalog so the two never disagree. */
export function renderPermissionsDoc(): string {
  const lines = [
    '# Permissions',
    '',
    '<!-- Generated from core/permissions/catalog.ts by `npm run docs:permissions`; tests/schema.test.ts fails if stale. -->',
    '',
    'Every subgraph runs graphql-shield with `fallbackRule: deny`, built from one catalog',
    '(`core/permissions/catalog.ts`). Rules sit on **types and fields**, not only on root',
    'fields, so an entity reached through `_entities` (federation) is guarded exactly like one',
    'reached through `Query`. `Query._entities` and `Query._service` are allowed; the fields',
    'they return are not. Coded errors from resolvers pass through shield unchanged.',
    '',
    'Rule kinds: `public` (anyone), `authenticated` (any valid token), or a permission.',
    'Tenant users act only in the tenant of their token; platform roles name a tenant with the',
    '`x-tenant` header.',
    '',
    '## Roles × permissions',
    '',
    `| permission | ${ROLES.join(' | ')} |`,
    `|---|${ROLES.map(() => ':-:').join('|')}|`,
    ...PERMISSIONS.map((p) => `| \`${p}\` | ${ROLES.map((r) => (ROLE_PERMISSIONS[r].includes(p) ? '✔' : '')).join(' | ')} |`),
    '',
    '## Field rules',
    '',
    '`*` is the rule for every field of the type without its own entry.',
    '',
    '| type | field | rule |',
    '|---|---|---|',
  ];
  for (const [type, rules] of Object.entries(FIELD_RULES)) {
    for (const [field, spec] of Object.entries(rules)) lines.push(`| ${type} | ${field} | \`${spec}\` |`);
  }
  return `${lines.join('\n')}\n`;
}
