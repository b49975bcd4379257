import type { AutomationKind } from './automation.model';

/** Placeholders each automation fills; a template for it may use only these. */
export const AUTOMATION_VARIABLES: Record<AutomationKind, readonly string[]> = {
  welcome: ['name', 'tenant'],
  receipt: ['name', 'tenant', 'amount', 'invoice'],
  dues: ['name', 'tenant', 'days', 'amount'],
};

/** Built-in texts (free text: WhatsApp, email, and SMS off a DLT route). */
export const DEFAULT_BODIES: Record<AutomationKind, string> = {
  welcome: 'Welcome to {#tenant#}, {#name#}! We are glad to have you.',
  receipt: 'Hi {#name#}, we received your payment of {#amount#} (invoice {#invoice#}). Thank you! - {#tenant#}',
  dues: 'Hi {#name#}, your fees of {#amount#} are {#days#} days overdue. Please pay your dues. - {#tenant#}',
};

/** Paise → "Rs 1,250.50". */
export const rupees = (paise: number): string => `Rs ${(paise / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
