/**
 * The one permission catalog: permissions, roles, and the rule for every field of
 * every type in the supergraph. Each subgraph's graphql-shield is built from it,
 * so a field is guarded the same way whichever subgraph or path (Query or
 * `_entities`) reaches it. A type missing here is denied (fallbackRule: deny).
 */
export const PERMISSIONS = [
  'tenants:read', 'tenants:create', 'tenants:update', 'tenants:suspend',
  'tenant:read', 'tenant:update',
  'users:read', 'users:create',
  'libraries:read', 'libraries:write',
  'students:list', 'students:read', 'students:create', 'students:update', 'students:delete',
  'bookings:write', 'attendance:read', 'attendance:write',
  'payments:read', 'payments:create', 'payments:refund', 'revenue:read',
  'credits:read', 'credits:allocate', 'credits:rates',
  'messages:read', 'messages:send', 'templates:write', 'notifications:read',
  'apikeys:manage', 'templates:approve',
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
  // Student fees (#13): fee plans and per-student dues summaries (no personal data; partner scope too).
  'fees:summary',
  // Memberships, the dues ledger (charges, credits, deposits) and pendingDues.
  'fees:read',
  // Assign, renew, change, freeze and cancel memberships.
  'fees:manage',
  // Create, rename and retire fee plans; run the fee cycle now.
  'fees:plans',
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
export const PARTNER_SCOPES: readonly Permission[] = ['libraries:read', 'students:list', 'attendance:read', 'attendance:write', 'fees:summary'];

const TENANT_READ: Permission[] = [
  'tenant:read', 'libraries:read', 'students:list', 'students:read', 'attendance:read',
  'payments:read', 'revenue:read', 'credits:read', 'messages:read', 'notifications:read', 'users:read',
  'fees:summary', 'fees:read',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  super_admin: PERMISSIONS,
  admin: [
    ...TENANT_READ, 'tenants:read', 'tenants:create', 'tenants:update', 'tenants:suspend',
    'users:create', 'credits:allocate', 'credits:rates', 'templates:approve',
    // Helps a tenant's set-up through x-tenant: branding, modules, library approval.
    'tenant:update', 'libraries:approve', 'audit:read',
    'users:update',
    'billing:manage',
    'platform:credits', 'platform:revenue', 'platform:billing',
    'fees:plans',
  ],
  support: [...TENANT_READ, 'tenants:read', 'credits:rates'],
  owner: PERMISSIONS.filter(
    (p) => !p.startsWith('tenants:') && !p.startsWith('platform:') && p !== 'credits:allocate' && p !== 'credits:rates' && p !== 'credits:deliver' && p !== 'accounts:notify',
  ),
  manager: [
    'tenant:read', 'libraries:read', 'libraries:write', 'users:read',
    'students:list', 'students:read', 'students:create', 'students:update',
    'bookings:write', 'attendance:read', 'attendance:write',
    'payments:read', 'payments:create', 'credits:read',
    'messages:read', 'messages:send', 'templates:write', 'notifications:read',
    'fees:summary', 'fees:read', 'fees:manage',
  ],
  // Front-desk staff: names and seats, check-in/out; no contact details or money.
  partner: [],
  // Messaging automations: read the student's contact and library, the payment and pending dues; pay for and send the message.
  service: ['libraries:read', 'students:list', 'students:read', 'payments:read', 'revenue:read', 'messages:send', 'credits:deliver', 'accounts:notify', 'fees:summary', 'fees:read'],
  staff: [
    'tenant:read', 'libraries:read', 'students:list', 'bookings:write',
    'attendance:read', 'attendance:write', 'notifications:read',
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
export function can(
  auth: { role: Role; scp?: readonly string[]; prm?: { g?: readonly string[]; r?: readonly string[] } },
  permission: Permission,
): boolean {
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

/** 'public': anyone; 'authenticated': any valid token; otherwise the permission needed. */
export type RuleSpec = 'public' | 'authenticated' | Permission;
type TypeRules = Record<string, RuleSpec>;

export const FIELD_RULES: Record<string, TypeRules> = {
  Query: {
    me: 'authenticated', tenant: 'tenant:read', tenants: 'tenants:read',
    library: 'libraries:read', libraries: 'libraries:read', users: 'users:read',
    student: 'students:list', students: 'students:list',
    bookings: 'students:list', attendance: 'attendance:read',
    payment: 'payments:read', payments: 'payments:read', revenueSummary: 'revenue:read',
    paymentOrder: 'payments:read',
    wallet: 'credits:read', creditLedger: 'credits:read',
    masterWallet: 'credits:rates', vendors: 'credits:rates', vendorPurchases: 'credits:rates', creditProfit: 'credits:rates',
    creditPackages: 'credits:read', creditUsage: 'credits:read',
    templates: 'messages:read', messages: 'messages:read', bulkSend: 'messages:read', notifications: 'notifications:read', notification: 'notifications:read',
    automationSettings: 'messages:read',
    apiKeys: 'apikeys:manage', apiKeyUsage: 'apikeys:manage', trustedDocuments: 'apikeys:manage',
    // Internal (@inaccessible): the partner endpoint looks up a registered document with the partner's token (its own tenant only).
    trustedDocumentSource: 'authenticated',
    auditLog: 'audit:read',
    // Anonymous login pages look up their tenant's look by host name (branding, display name, modules only).
    tenantBranding: 'public', librariesNear: 'libraries:read',
    billingSettings: 'payments:read', plans: 'authenticated', subscription: 'billing:manage',
    // The tenant's SaaS account and its payment orders to the platform: owners (billing:manage), platform admins with x-tenant.
    saasAccount: 'billing:manage', platformPaymentOrder: 'billing:manage', saasInvoices: 'platform:billing',
    revenueReport: 'revenue:read', pendingDues: 'fees:read', saasRevenue: 'platform:revenue',
    feePlans: 'fees:summary', feePlan: 'fees:summary', membership: 'fees:read', memberships: 'fees:read',
    // Student subgraph: seat maps, availability, analytics, referrals.
    seats: 'libraries:read', seatAvailability: 'students:list',
    // Daily attendance: front desk too (attendance:read); churn list and referrals: owner/manager (students:read).
    attendanceStats: 'attendance:read', studentAttendance: 'attendance:read', churnRisk: 'students:read',
    referrals: 'students:read', referralStats: 'students:read', studentSettings: 'tenant:read',
    // Issues the code on first ask (a write), so read-only roles cannot.
    referralCode: 'students:update',
    // Shifts: configuration is library data; per-shift occupancy counts check-ins like Library.occupancy.
    shifts: 'libraries:read', shiftOccupancy: 'attendance:read',
    tenantSecurityPolicy: 'tenant:read',
  },
  Subscription: { occupancyChanged: 'attendance:read', notificationReceived: 'notifications:read' },
  Mutation: {
    login: 'public', refreshToken: 'public', logout: 'public',
    // Accounts: anonymous reset and the TOTP step of a login; own password and TOTP.
    requestPasswordReset: 'public', resetPassword: 'public', loginWithTotp: 'public',
    // Public in the shield: the resolver takes the caller's token or a login's enrollment challenge (tenant policy), nothing else.
    enrollTotp: 'public', confirmTotp: 'public',
    changePassword: 'authenticated', disableTotp: 'authenticated', regenerateRecoveryCodes: 'authenticated', resetUserTotp: 'users:update',
    updateTenantSecurityPolicy: 'security:manage',
    // Internal (@inaccessible) API of messaging, called by the tenant service with a service token.
    sendPlatformMail: 'accounts:notify',
    createTenant: 'tenants:create', suspendTenant: 'tenants:suspend', reactivateTenant: 'tenants:suspend',
    createLibrary: 'libraries:write', updateLibrary: 'libraries:write', createUser: 'users:create',
    createStudent: 'students:create', updateStudent: 'students:update', deleteStudent: 'students:delete',
    bookSeat: 'bookings:write', cancelBooking: 'bookings:write',
    createBooking: 'bookings:write', assignSeats: 'bookings:write', configureSeats: 'libraries:write',
    createShift: 'libraries:write', updateShift: 'libraries:write', retireShift: 'libraries:write',
    importStudents: 'students:create',
    updateStudentSettings: 'tenant:update',
    checkIn: 'attendance:write', checkOut: 'attendance:write',
    recordPayment: 'payments:create',
    createPaymentOrder: 'payments:create', verifyRazorpayPayment: 'payments:create', refundPayment: 'payments:refund',
    allocateCredits: 'credits:allocate',
    createVendor: 'platform:credits', updateVendor: 'platform:credits', purchaseCreditsFromVendor: 'platform:credits',
    createCreditPackage: 'platform:credits', updateCreditPackage: 'platform:credits', setTenantRate: 'platform:credits',
    purchaseCreditPackage: 'credits:manage', setLowBalanceThreshold: 'credits:manage',
    createTemplate: 'templates:write', sendMessage: 'messages:send',
    approveTemplate: 'templates:approve', rejectTemplate: 'templates:approve', sendBulkMessage: 'messages:send',
    updateAutomationSettings: 'templates:write', sendDuesReminders: 'messages:send',
    markNotificationRead: 'notifications:read',
    createApiKey: 'apikeys:manage', rotateApiKey: 'apikeys:manage', revokeApiKey: 'apikeys:manage',
    setApiKeyTrustedDocumentsOnly: 'apikeys:manage', registerTrustedDocuments: 'apikeys:manage', removeTrustedDocument: 'apikeys:manage',
    updateTenantBranding: 'tenant:update', setTenantModules: 'tenant:update',
    approveLibrary: 'libraries:approve', rejectLibrary: 'libraries:approve',
    suspendLibrary: 'libraries:approve', reactivateLibrary: 'libraries:approve',
    updateUser: 'users:update', disableUser: 'users:update', createPlatformUser: 'platform:users',
    // Internal (@inaccessible): the gateway trades a partner's key for a short-lived token; the key is the credential.
    exchangeApiKey: 'public',
    // Internal (@inaccessible) API of the credits subgraph, called by messaging with the caller's token.
    debitCredits: 'messages:send', refundCredits: 'messages:send',
    updateBillingSettings: 'billing:settings',
    subscribe: 'billing:manage', changePlan: 'billing:manage', cancelSubscription: 'billing:manage', renewSubscription: 'billing:manage',
    paySaasInvoice: 'billing:manage', verifyPlatformRazorpayPayment: 'billing:manage', createCreditPackageOrder: 'credits:manage',
    runSaasBillingCycle: 'platform:billing', applyScheduledDowngrade: 'platform:billing', importSubscription: 'platform:billing',
    // Internal (@inaccessible): billing's service token after the platform received a package's money.
    deliverCreditPackage: 'credits:deliver',
    createFeePlan: 'fees:plans', updateFeePlan: 'fees:plans', retireFeePlan: 'fees:plans', runFeeCycle: 'fees:plans',
    assignFeePlan: 'fees:manage', renewMembership: 'fees:manage', changeMembershipPlan: 'fees:manage',
    freezeMembership: 'fees:manage', cancelMembership: 'fees:manage',
    // Returning a held deposit is giving money back: owners, like refunds.
    releaseDeposit: 'payments:refund',
  },
  CreditDebit: { '*': 'messages:send' },
  ApiKey: { '*': 'apikeys:manage' },
  CreatedApiKey: { '*': 'apikeys:manage' },
  ApiKeyUse: { '*': 'apikeys:manage' },
  TrustedDocument: { '*': 'apikeys:manage' },
  AuditEntry: { '*': 'audit:read' },
  PartnerSession: { '*': 'public' },
  AuthPayload: { '*': 'public' },
  TotpEnrollment: { '*': 'public' },
  TotpActivation: { '*': 'public' },
  RecoveryCodes: { '*': 'authenticated' },
  TenantSecurityPolicy: { '*': 'tenant:read' },
  Viewer: { '*': 'authenticated' },
  User: { '*': 'authenticated', email: 'users:read' },
  Tenant: { '*': 'authenticated', limits: 'tenant:read', wallet: 'credits:read' },
  TenantLimits: { '*': 'authenticated' },
  Branding: { '*': 'public' },
  TenantModules: { '*': 'public' },
  TenantBrandingInfo: { '*': 'public' },
  NearbyLibrary: { '*': 'libraries:read' },
  Library: { '*': 'libraries:read', occupancy: 'attendance:read', shifts: 'libraries:read' },
  Occupancy: { '*': 'attendance:read' },
  Student: {
    '*': 'students:list',
    email: 'students:read', phone: 'students:read', parentPhone: 'students:read', idProof: 'students:read',
    payments: 'payments:read', messages: 'messages:read', messageCount: 'messages:read',
    memberships: 'fees:read', activeMembership: 'fees:read', dues: 'fees:read', duesSummary: 'fees:summary',
  },
  IdProof: { '*': 'students:read' },
  StudentConnection: { '*': 'students:list' },
  StudentEdge: { '*': 'students:list' },
  PageInfo: { '*': 'authenticated' },
  Booking: { '*': 'students:list' },
  Seat: { '*': 'libraries:read' },
  SeatAvailability: { '*': 'students:list' },
  SeatAssignmentResult: { '*': 'bookings:write' },
  // Reached through Query.shifts, Library.shifts, Booking.shift and `_entities` (billing's fee plans).
  Shift: { '*': 'libraries:read', feePlans: 'fees:summary' },
  ShiftOccupancy: { '*': 'attendance:read' },
  ImportReport: { '*': 'students:create' },
  ImportRow: { '*': 'students:create' },
  ImportIssue: { '*': 'students:create' },
  Attendance: { '*': 'attendance:read' },
  AttendanceDay: { '*': 'attendance:read' },
  StudentAttendanceDay: { '*': 'attendance:read' },
  ChurnRiskEntry: { '*': 'students:read' },
  // Referral money (reward amounts and totals) needs payments:read on top.
  Referral: { '*': 'students:read', reward: 'payments:read' },
  ReferralReward: { '*': 'payments:read' },
  ReferralStats: { '*': 'students:read', rewardsTotal: 'payments:read' },
  StudentSettings: { '*': 'tenant:read', referralRewardAmount: 'payments:read' },
  Payment: { '*': 'payments:read' },
  Invoice: { '*': 'payments:read' },
  PaymentOrder: { '*': 'payments:read' },
  PaymentRouting: { '*': 'payments:read' },
  RoutingAttempt: { '*': 'payments:read' },
  PaymentCheckout: { '*': 'payments:read' },
  Refund: { '*': 'payments:read' },
  RevenueRow: { '*': 'revenue:read' },
  RevenueReportRow: { '*': 'revenue:read' },
  SaasRevenueRow: { '*': 'platform:revenue' },
  PendingDue: { '*': 'fees:read' },
  FeePlan: { '*': 'fees:summary' },
  // The id is what Booking.membership lists; what a booking is checked against (student, library,
  // shift, dates, status) is for whoever books (front desk too); the money terms need fees:read.
  Membership: {
    '*': 'fees:read', id: 'students:list',
    studentId: 'bookings:write', libraryId: 'bookings:write', planId: 'bookings:write', shiftId: 'bookings:write',
    seatKind: 'bookings:write', status: 'bookings:write', startDate: 'bookings:write', endDate: 'bookings:write',
  },
  SoldTerms: { '*': 'fees:read' },
  Dues: { '*': 'fees:read' },
  Charge: { '*': 'fees:read' },
  DuesSummary: { '*': 'fees:summary' },
  FeeCycleReport: { '*': 'fees:plans' },
  BillingSettings: { '*': 'payments:read' },
  Plan: { '*': 'authenticated' },
  PlanPrice: { '*': 'authenticated' },
  PlanLimits: { '*': 'authenticated' },
  TenantSubscription: { '*': 'billing:manage' },
  PendingPlanChange: { '*': 'billing:manage' },
  SubscriptionChange: { '*': 'billing:manage' },
  SaasAccount: { '*': 'billing:manage' },
  SaasInvoice: { '*': 'billing:manage' },
  PlatformPaymentOrder: { '*': 'billing:manage' },
  SaasBillingCycleReport: { '*': 'platform:billing' },
  Wallet: { '*': 'credits:read', rates: 'credits:rates' },
  CreditRates: { '*': 'credits:rates' },
  LedgerEntry: { '*': 'credits:read' },
  CreditThresholds: { '*': 'credits:read' },
  MasterWallet: { '*': 'credits:rates' },
  Vendor: { '*': 'credits:rates' },
  VendorPurchase: { '*': 'credits:rates' },
  CreditPackage: { '*': 'credits:read' },
  CreditProfitRow: { '*': 'credits:rates' },
  CreditUsageRow: { '*': 'credits:read' },
  Template: { '*': 'messages:read' },
  BulkSend: { '*': 'messages:read' },
  BulkSendRecipient: { '*': 'messages:read' },
  Message: { '*': 'messages:read' },
  Notification: { '*': 'notifications:read' },
  AutomationSettings: { '*': 'messages:read' },
  AutomationRule: { '*': 'messages:read' },
  DuesReminderRule: { '*': 'messages:read' },
  DuesReminderReport: { '*': 'messages:send' },
};
