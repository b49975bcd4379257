import type { PdfBranding } from '../../../core/documents/pdf';
import { tenantBranding } from '../../../core/documents/pdf';
import type { BillingContext } from '../context';
import { findBillingSettings } from '../invoicing/settings.service';

/** The seller as on today's invoices (billing settings), else the tenant's name from the registry. */
export async function billingBranding(ctx: BillingContext): Promise<PdfBranding> {
  const [tenant, settings] = await Promise.all([ctx.tenant(), findBillingSettings(await ctx.tenantDb())]);
  if (!settings) return tenantBranding(tenant);
  return { name: settings.legalName, address: settings.address, gstin: settings.gstin ?? 'Unregistered' };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** '2030-03' → 'March 2030'. */
export const monthLabel = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
