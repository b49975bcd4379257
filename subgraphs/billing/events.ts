import { subgraphEvents } from '../../core/events';

/** The domain events billing emits, with their payloads (besides tenantId). */
export type BillingEvents = {
  /** A fee payment was recorded (desk or gateway). Key: paymentId. */
  'payment.recorded': { paymentId: string; studentId: string };
  /**
   * A membership's current period ends within a few days (the fee cycle; outbound webhooks).
   * Key: membershipId:period, so once per membership period. Dates are IST days (YYYY-MM-DD).
   */
  'membership.expiring': { membershipId: string; studentId: string; libraryId: string; planId: string; period: number; endDate: string; autoRenew: boolean };
  /** A tenant's effective SaaS plan changed; the tenant subgraph updates its registry. */
  'plan.changed': { plan: string; limits: { maxLibraries: number; maxStudents: number; maxStaff: number } };
  /**
   * A SaaS dunning step: messaging notifies staff, the tenant subgraph e-mails the owners.
   * `amountDue` in paise; `payUrl` is a signed pay link (a bearer secret: the CLI masks it). Key: invoiceId:step.
   */
  'saas.dunning': {
    invoiceId: string;
    number: string;
    step: 'ISSUED' | 'OVERDUE' | 'SUSPENDED';
    dueAt: string;
    graceEndsAt: string;
    amountDue: number;
    payUrl: string;
  };
  /** The grace period of an overdue SaaS invoice ended; the tenant subgraph suspends the tenant. Key: invoiceId. */
  'saas.suspend': { invoiceId: string };
  /** The overdue SaaS invoice was paid; the tenant subgraph reactivates the tenant. Key: invoiceId. */
  'saas.reactivate': { invoiceId: string };
};

/** Billing emits; it runs no consumer. */
export const billingEvents = subgraphEvents<BillingEvents>()({
  emits: { 'payment.recorded': true, 'membership.expiring': true, 'plan.changed': true, 'saas.dunning': true, 'saas.suspend': true, 'saas.reactivate': true },
  consumers: {},
});
