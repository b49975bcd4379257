import { AppError } from '../errors';
import { effectiveModules } from '../tenancy/plans';
import type { TenantModule, TenantModules } from '../tenancy/registry';

/**
 * Which tenant module (core/tenancy/registry.ts TENANT_MODULES) each field belongs
 * to, beside the permission catalog: every subgraph's shield (core/permissions/shield.ts)
 * and the gateway's subscription check refuse a field whose module is switched off
 * by the tenant or missing from its plan, with MODULE_DISABLED.
 *
 * Only tenant data operations are listed, and they bind every caller acting on the
 * tenant, platform staff (x-tenant) and partners included. Not listed, so never
 * blocked: login and public fields, the tenant's own administration (tenant, me,
 * setTenantModules, branding, users, libraries, API keys, audit, SaaS subscription,
 * credits), and platform operations. A field needing several modules lists them all.
 * Money already moved is always settled, so never listed: verifyRazorpayPayment (the
 * student has paid; webhooks settle it too) and the internal debitCredits/refundCredits
 * (a send refused at its entry never debits; a refund after a failed send must not fail).
 *
 * Object types (`'*'`) are listed too where the whole type is one module's data, so
 * an entity reached through `_entities` or a federated field is refused the same way.
 */
export const FIELD_MODULES: Record<string, Record<string, TenantModule | readonly TenantModule[]>> = {
  Query: {
    attendance: 'attendance', studentAttendance: 'attendance',
    attendanceStats: ['attendance', 'analytics'], churnRisk: 'analytics',
    bookings: 'bookings', seatAvailability: 'bookings',
    payment: 'payments', payments: 'payments', paymentOrder: 'payments', revenueSummary: 'payments',
    pendingDues: 'payments', billingSettings: 'payments', revenueReport: ['payments', 'analytics'],
    feePlans: 'payments', feePlan: 'payments', membership: 'payments', memberships: 'payments',
    shiftOccupancy: 'attendance',
    templates: 'messaging', messages: 'messaging', bulkSend: 'messaging', automationSettings: 'messaging',
  },
  Mutation: {
    checkIn: 'attendance', checkOut: 'attendance',
    bookSeat: 'bookings', createBooking: 'bookings', cancelBooking: 'bookings', assignSeats: 'bookings',
    recordPayment: 'payments', createPaymentOrder: 'payments',
    refundPayment: 'payments', updateBillingSettings: 'payments',
    createFeePlan: 'payments', updateFeePlan: 'payments', retireFeePlan: 'payments', runFeeCycle: 'payments',
    assignFeePlan: 'payments', renewMembership: 'payments', changeMembershipPlan: 'payments',
    freezeMembership: 'payments', cancelMembership: 'payments', releaseDeposit: 'payments',
    createTemplate: 'messaging', sendMessage: 'messaging', sendBulkMessage: 'messaging',
    updateAutomationSettings: 'messaging', sendDuesReminders: 'messaging',
  },
  Subscription: { occupancyChanged: 'attendance' },
  // Federated fields of shared entities.
  Library: { occupancy: 'attendance' },
  Shift: { feePlans: 'payments' },
  Student: {
    payments: 'payments', messages: 'messaging', messageCount: 'messaging',
    memberships: 'payments', activeMembership: 'payments', dues: 'payments', duesSummary: 'payments',
  },
  // Whole types, for `_entities` and nested selections.
  Attendance: { '*': 'attendance' },
  Occupancy: { '*': 'attendance' },
  Booking: { '*': 'bookings' },
  Payment: { '*': 'payments' },
  PaymentOrder: { '*': 'payments' },
  Refund: { '*': 'payments' },
  Invoice: { '*': 'payments' },
  FeePlan: { '*': 'payments' },
  // The id is what Booking.membership lists (student subgraph): a booking stays readable.
  Membership: { '*': 'payments', id: [] },
  Message: { '*': 'messaging' },
  Template: { '*': 'messaging' },
  BulkSend: { '*': 'messaging' },
};

/** The modules a field needs (none for most fields). */
export function modulesOf(type: string, field: string): readonly TenantModule[] {
  const m = FIELD_MODULES[type]?.[field] ?? FIELD_MODULES[type]?.['*'];
  if (!m) return [];
  return typeof m === 'string' ? [m] : m;
}

/** The first of `needed` that the tenant has switched off (or its plan lacks), or null. */
export function disabledModule(
  tenant: { plan: string; modules?: TenantModules },
  needed: readonly TenantModule[],
): TenantModule | null {
  if (needed.length === 0) return null;
  const on = effectiveModules(tenant.plan, tenant.modules);
  return needed.find((m) => !on[m]) ?? null;
}

export const moduleDisabled = (module: TenantModule) =>
  new AppError('MODULE_DISABLED', `The ${module} module is not enabled for this tenant (switched off or not in its plan)`, { module });
