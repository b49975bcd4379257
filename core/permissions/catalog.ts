/**
 * The one permission catalog: permissions, roles and `can()`. The rule for each field
 * lives beside its type (`subgraphs/<name>/<entity>.rules.ts`, typed by ./rules.ts) and
 * reaches the shield (./shield.ts) through the subgraph's definition; a field without a
 * rule is denied (fallbackRule: deny).
 */
export const PERMISSIONS = [
  'tenants:read',
  'tenants:create',
  'tenants:update',
  'tenants:suspend',
  'tenant:read',
  'tenant:update',
  'users:read',
  'users:create',
  'libraries:read',
  'libraries:write',
  'students:list',
  'students:read',
  'students:create',
  'students:update',
  'students:delete',
  'bookings:write',
  'attendance:read',
  'attendance:write',
  'payments:read',
  'payments:create',
  'payments:refund',
  'revenue:read',
  'credits:read',
  'credits:allocate',
  'credits:rates',
  'messages:read',
  'messages:send',
  'templates:write',
  'notifications:read',
  'apikeys:manage',
  'templates:approve',
  // Read the audit log (owners: own tenant; platform staff: any tenant and platform actions).
  'audit:read',
  // Approve, reject, suspend and reactivate libraries (managers' new libraries wait for approval).
  'libraries:approve',
  // Change staff (name, role, status, permission overrides).
  'users:update',
  // Platform-only: create platform users (super_admin).
  'platform:users',
  // Seller details (GSTIN, address, SAC, rate) printed on the tenant's invoices.
  'billing:settings',
  // The tenant's SaaS subscription: subscribe, change plan, cancel, renew.
  'billing:manage',
  // Tenant owners: buy credit packages, set low-balance thresholds.
  'credits:manage',
  // Platform: credit vendors and purchases, packages, tenant rates (reads need credits:rates).
  'platform:credits',
  // Platform: SaaS subscription revenue across tenants (by plan, cycle, month).
  'platform:revenue',
  // Platform: run the SaaS billing cycle, apply a tenant's scheduled downgrade now, import a migrated customer's subscription.
  'platform:billing',
  // Internal: billing's service token tells credits that the platform received a package's money.
  'credits:deliver',
  // Tenant owners: the account security policy (which roles must use TOTP).
  'security:manage',
  // Service only: email account codes (password reset) through messaging, free for the tenant.
  'accounts:notify',
  // Students' fees (#13): fee plans and per-student dues summaries (no personal data; partner scope too).
  'fees:summary',
  // Memberships, the dues ledger (charges, credits, deposits) and pendingDues.
  'fees:read',
  // Assign, renew, change, freeze and cancel memberships.
  'fees:manage',
  // Create, rename and retire fee plans; run the fee cycle now.
  'fees:plans',
  // Complaints desk (#17): read tickets and their reports (branch-scoped).
  'tickets:read',
  // Raise tickets, move their status, comment (partner scope: raise for a student, follow that student's tickets).
  'tickets:write',
  // Assign tickets to staff, set the SLA targets, run the SLA check now.
  'tickets:manage',
  // The full ID-proof number (revealIdProofNumber) and the ID-proof scan; every use is audited. Owners; others by override.
  'students:idproof:reveal',
  // Outbound webhooks: endpoints, secrets, delivery log, replay, ping (a partner key: its own endpoints only).
  'webhooks:manage',
  // Partner API usage logs and daily reports (owners: own tenant; platform staff: any tenant through x-tenant).
  'apikeys:usage',
  // Platform: partner API usage summed per tenant per day.
  'platform:usage',
  // Internal: the gateway's service token records partner API usage (recordApiUsage).
  'apikeys:record',
  // Platform: the sales desk (leads, stages, notes, the kanban). Platform roles only, never a tenant's.
  'crm:read',
  // Platform: create, update, move, assign leads and add notes.
  'crm:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const PLATFORM_ROLES = ['super_admin', 'admin', 'support'] as const;
export const TENANT_ROLES = ['owner', 'manager', 'staff'] as const;
/** A partner integration acting through an API key; its permissions are the key's scopes. */
export const PARTNER_ROLE = 'partner';
/**
 * Background work of a service (event-driven messages, reminders) for one tenant:
 * a short-lived token minted in-process with the JWT secret, never issued to a user.
 */
export const SERVICE_ROLE = 'service';
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type TenantRole = (typeof TENANT_ROLES)[number];
export type Role = PlatformRole | TenantRole | typeof PARTNER_ROLE | typeof SERVICE_ROLE;

/** What a partner key may be granted (read-mostly; no personal data, no money). */
export const PARTNER_SCOPES: readonly Permission[] = [
  'libraries:read',
  'students:list',
  'attendance:read',
  'attendance:write',
  'fees:summary',
  'tickets:write',
  'webhooks:manage',
];

const TENANT_READ: Permission[] = [
  'tenant:read',
  'libraries:read',
  'students:list',
  'students:read',
  'attendance:read',
  'payments:read',
  'revenue:read',
  'credits:read',
  'messages:read',
  'notifications:read',
  'users:read',
  'fees:summary',
  'fees:read',
  'tickets:read',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  super_admin: PERMISSIONS,
  admin: [
    ...TENANT_READ,
    'tenants:read',
    'tenants:create',
    'tenants:update',
    'tenants:suspend',
    'users:create',
    'credits:allocate',
    'credits:rates',
    'templates:approve',
    // Helps a tenant's set-up through x-tenant: branding, modules, library approval.
    'tenant:update',
    'libraries:approve',
    'audit:read',
    'users:update',
    'billing:manage',
    'platform:credits',
    'platform:revenue',
    'platform:billing',
    'fees:plans',
    'apikeys:usage',
    'platform:usage',
    'crm:read',
    'crm:write',
  ],
  support: [...TENANT_READ, 'tenants:read', 'credits:rates', 'crm:read'],
  owner: PERMISSIONS.filter(
    (p) =>
      !p.startsWith('tenants:') &&
      !p.startsWith('platform:') &&
      !p.startsWith('crm:') &&
      p !== 'credits:allocate' &&
      p !== 'credits:rates' &&
      p !== 'credits:deliver' &&
      p !== 'accounts:notify' &&
      p !== 'apikeys:record',
  ),
  manager: [
    'tenant:read',
    'libraries:read',
    'libraries:write',
    'users:read',
    'students:list',
    'students:read',
    'students:create',
    'students:update',
    'bookings:write',
    'attendance:read',
    'attendance:write',
    'payments:read',
    'payments:create',
    'credits:read',
    'messages:read',
    'messages:send',
    'templates:write',
    'notifications:read',
    'fees:summary',
    'fees:read',
    'fees:manage',
    'tickets:read',
    'tickets:write',
    'tickets:manage',
    'webhooks:manage',
  ],
  // Front-desk staff: names and seats, check-in/out; no contact details or money.
  partner: [],
  // Messaging automations: read the student's contact and library, the payment and pending dues; pay for and send the message.
  service: [
    'libraries:read',
    'students:list',
    'students:read',
    'payments:read',
    'revenue:read',
    'messages:send',
    'credits:deliver',
    'accounts:notify',
    'fees:summary',
    'fees:read',
    // The complaints desk's SLA job: who may be assigned, and which managers a breach notifies.
    'users:read',
    'apikeys:record',
  ],
  staff: [
    'tenant:read',
    'libraries:read',
    'students:list',
    'bookings:write',
    'attendance:read',
    'attendance:write',
    'notifications:read',
    'tickets:read',
    'tickets:write',
  ],
};

export function isPlatformRole(role: string): role is PlatformRole {
  return (PLATFORM_ROLES as readonly string[]).includes(role);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

/** What per-user overrides may grant: the tenant permission set (an owner's). */
export const TENANT_PERMISSIONS: readonly Permission[] = ROLE_PERMISSIONS.owner;

/**
 * The caller's permission: its role's, or for a partner the key's scopes (within
 * PARTNER_SCOPES). A tenant user's token may carry overrides (`prm`, set on the
 * user by updateUser): a revoke always wins; a grant adds a permission of the
 * tenant set only. Platform roles ignore overrides.
 */
export function can(auth: { role: Role; scp?: readonly string[]; prm?: { g?: readonly string[]; r?: readonly string[] } }, permission: Permission): boolean {
  if (auth.role === PARTNER_ROLE) return PARTNER_SCOPES.includes(permission) && (auth.scp?.includes(permission) ?? false);
  if (auth.prm && (TENANT_ROLES as readonly string[]).includes(auth.role)) {
    if (auth.prm.r?.includes(permission)) return false;
    if (auth.prm.g?.includes(permission) && TENANT_PERMISSIONS.includes(permission)) return true;
  }
  return hasPermission(auth.role, permission);
}

/** Every permission `can()` gives the caller (for `me.permissions`). */
export function effectivePermissions(auth: Parameters<typeof can>[0]): Permission[] {
  return PERMISSIONS.filter((p) => can(auth, p));
}
