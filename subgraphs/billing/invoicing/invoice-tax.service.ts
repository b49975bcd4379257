import { amountInWords, splitGst } from './gst.service';
import { DEFAULT_GST_RATE, DEFAULT_SAC, type BillingSettingsDoc } from './settings.model';

/** The seller and GST figures frozen on an invoice when it is issued (later settings changes don't alter it). */
export interface InvoiceTaxDoc {
  sellerLegalName?: string;
  sellerGstin?: string;
  sellerAddress?: string;
  sellerStateCode?: string;
  /** Buyer's state code; same as the seller's unless given. */
  placeOfSupply?: string;
  hsnSac: string;
  ratePercent: number;
  interState: boolean;
  taxableValue: number;
  cgst: number;
  sgst: number;
  igst: number;
}

/** Intra-state (CGST+SGST) unless both states are known and differ. */
export function invoiceTax(amount: number, settings: BillingSettingsDoc | null, placeOfSupply?: string): InvoiceTaxDoc {
  const ratePercent = settings?.gstRatePercent ?? DEFAULT_GST_RATE;
  const sellerState = settings?.stateCode;
  const interState = Boolean(sellerState && placeOfSupply && sellerState !== placeOfSupply);
  const { taxableValue, cgst, sgst, igst } = splitGst(amount, ratePercent, interState);
  return {
    sellerLegalName: settings?.legalName,
    sellerGstin: settings?.gstin,
    sellerAddress: settings?.address,
    sellerStateCode: sellerState,
    placeOfSupply: placeOfSupply ?? sellerState,
    hsnSac: settings?.hsnSac ?? DEFAULT_SAC,
    ratePercent,
    interState,
    taxableValue,
    cgst,
    sgst,
    igst,
  };
}

export const invoiceDownloadPath = (paymentId: string) => `/invoices/${paymentId}.html`;

/** The GraphQL view of an invoice; payments issued before GST fields existed get the default (18%, intra-state). */
export function invoiceView(paymentId: string, invoice: { number: string; issuedAt: Date; tax?: InvoiceTaxDoc }, amount: number) {
  const tax = invoice.tax ?? invoiceTax(amount, null);
  return {
    number: invoice.number,
    issuedAt: invoice.issuedAt,
    amount,
    taxableValue: tax.taxableValue,
    gstRatePercent: tax.ratePercent,
    cgst: tax.cgst,
    sgst: tax.sgst,
    igst: tax.igst,
    totalTax: tax.cgst + tax.sgst + tax.igst,
    interState: tax.interState,
    placeOfSupply: tax.placeOfSupply,
    hsnSac: tax.hsnSac,
    sellerLegalName: tax.sellerLegalName,
    sellerGstin: tax.sellerGstin,
    sellerAddress: tax.sellerAddress,
    amountInWords: amountInWords(amount),
    downloadPath: invoiceDownloadPath(paymentId),
  };
}
