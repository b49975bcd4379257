import { PERMISSIONS, PLATFORM_ROLES, ROLE_PERMISSIONS, TENANT_ROLES, type Role } from '../core/permissions/catalog';
import { FIELD_MODULES } from '../core/permissions/modules';
import { ERROR_CATALOG } from '../core/errors';
import { SUPERGRAPH_RULES } from '../subgraphs/rules';

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
  for (const [type, rules] of Object.entries(SUPERGRAPH_RULES)) {
    for (const [field, spec] of Object.entries(rules)) lines.push(`| ${type} | ${field} | \`${spec}\` |`);
  }
  lines.push(
    '',
    '## Modules',
    '',
    'A tenant\'s modules (attendance, payments, messaging, bookings, analytics) are its plan\'s',
    'defaults (`core/tenancy/plans.ts`) overridden by its own switches (`setTenantModules`).',
    'The table below (`core/permissions/modules.ts`) names the module(s) a field needs; the',
    'shield of every subgraph checks it together with the field\'s permission, in one rule',
    'evaluated once per request against the tenant record the request reads anyway',
    '(`ctx.tenant()`, memoised; from the tenant cache on reads). So it holds on HTTP,',
    '`_entities`, federated fields and the partner endpoint alike; the gateway\'s WebSocket',
    'server checks a subscription\'s module when it starts and before each event (re-reading',
    'the modules after a tenant change) and completes it with the error once switched off.',
    '',
    `A field of a module that is off is refused with \`MODULE_DISABLED\` (${ERROR_CATALOG.MODULE_DISABLED}); the message and`,
    '`extensions.module` name the module, nothing is written. The table binds every caller',
    'acting on the tenant, platform staff through `x-tenant` and partner keys included. Not',
    'listed, so never blocked: login and public fields, the tenant\'s own administration',
    '(`tenant`, `me`, `setTenantModules`, branding, users, libraries, API keys, audit log, SaaS',
    'subscription, credits) and platform operations. `*` covers every field of a type (entities',
    'reached through `_entities`). Money already moved is always settled: `verifyRazorpayPayment`,',
    'payment webhooks and the internal credit debits and refunds are not module operations.',
    'Messaging automations (welcome, receipt, dues reminders) send nothing while messaging is off.',
    'Billing\'s plain HTTP routes (printable invoice, revenue CSV) check the same modules.',
    '',
    '| type | field | module(s) |',
    '|---|---|---|',
  );
  for (const [type, fields] of Object.entries(FIELD_MODULES)) {
    for (const [field, m] of Object.entries(fields)) lines.push(`| ${type} | ${field} | ${(typeof m === 'string' ? [m] : m).map((x) => `\`${x}\``).join(' + ')} |`);
  }
  lines.push(
    '',
    '## Branch scope',
    '',
    'Owners assign managers and staff to libraries (`User.libraryIds`, set by `createUser` /',
    '`updateUser`; owners and platform staff only; libraries of the tenant only). The access',
    'token carries the assignment as the claim `lib` (login and refresh read the user, so a',
    'change applies at the next refresh, within the access-token lifetime; refresh tokens are',
    'not revoked by it). No assignment, an owner, or a platform role: every library.',
    '',
    'Services limit every read and write of library-bound data with `core/scope/library-scope.ts`:',
    '',
    '- Lists (students, bookings, attendance, payments, revenue, dues, churn, attendance',
    '  statistics, the students and revenue CSV exports, `libraries`) hold the caller\'s',
    '  libraries only; naming another library in a filter is `FORBIDDEN`.',
    '- Single reads and entities (`student`, `payment`, `library`, `_entities` Student and',
    '  Payment, `Student.payments`) of another library resolve to null, as another tenant\'s do.',
    '  `Library.occupancy` and seat maps of another library are `FORBIDDEN`.',
    '- Writes to another library (enrol, update, move, delete, check in/out, book, cancel,',
    '  configure seats, refund, update the library) are `FORBIDDEN` and change nothing. Writes',
    '  that look a student up through federation (record a payment, payment orders) answer',
    '  `NOT_FOUND`: the student is invisible to the caller.',
    '- `occupancyChanged`: naming another library is `FORBIDDEN`; without `libraryId` a scoped',
    '  subscriber receives events of its own libraries only.',
  );
  return `${lines.join('\n')}\n`;
}
