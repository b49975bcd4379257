/** GST arithmetic and Indian number words for invoices; pure functions, all amounts in paise. */

/** Rates GST knows for services (percent). */
export const GST_RATES = [0, 5, 12, 18, 28] as const;

export interface GstSplit {
  taxableValue: number;
  totalTax: number;
  cgst: number;
  sgst: number;
  igst: number;
}

/**
 * Splits a tax-inclusive total: taxable = round(total × 100 / (100 + rate)),
 * tax = total − taxable; intra-state CGST = floor(tax / 2), SGST = tax − CGST;
 * inter-state IGST = tax. The parts always add up to the total exactly.
 * Integer arithmetic only (round half up), so no float error for any total.
 */
export function splitGst(total: number, ratePercent: number, interState: boolean): GstSplit {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError('total must be a non-negative integer (paise)');
  if (!Number.isInteger(ratePercent) || ratePercent < 0) throw new RangeError('rate must be a non-negative integer percent');
  const denominator = 100 + ratePercent;
  const taxableValue = Math.floor((total * 200 + denominator) / (2 * denominator));
  const totalTax = total - taxableValue;
  if (interState) return { taxableValue, totalTax, cgst: 0, sgst: 0, igst: totalTax };
  const cgst = Math.floor(totalTax / 2);
  return { taxableValue, totalTax, cgst, sgst: totalTax - cgst, igst: 0 };
}

const ONES = [
  '',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

function belowHundred(n: number): string {
  if (n < 20) return ONES[n];
  return [TENS[Math.floor(n / 10)], ONES[n % 10]].filter(Boolean).join(' ');
}

function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  return [hundreds ? `${ONES[hundreds]} Hundred` : '', rest ? belowHundred(rest) : ''].filter(Boolean).join(' ');
}

/** Indian numbering: crore (10^7), lakh (10^5), thousand, hundred; crores above 99 recurse ("One Hundred Crore"). */
export function indianWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('must be a non-negative integer');
  if (n === 0) return 'Zero';
  const crore = Math.floor(n / 10_000_000);
  const lakh = Math.floor((n % 10_000_000) / 100_000);
  const thousand = Math.floor((n % 100_000) / 1000);
  const rest = n % 1000;
  return [
    crore ? `${indianWords(crore)} Crore` : '',
    lakh ? `${belowHundred(lakh)} Lakh` : '',
    thousand ? `${belowHundred(thousand)} Thousand` : '',
    rest ? belowThousand(rest) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** e.g. 12000050 paise → "Rupees One Lakh Twenty Thousand and Fifty Paise Only". */
export function amountInWords(paise: number): string {
  if (!Number.isSafeInteger(paise) || paise < 0) throw new RangeError('paise must be a non-negative integer');
  const rupees = Math.floor(paise / 100);
  const p = paise % 100;
  if (p === 0) return `Rupees ${indianWords(rupees)} Only`;
  if (rupees === 0) return `${belowHundred(p)} Paise Only`;
  return `Rupees ${indianWords(rupees)} and ${belowHundred(p)} Paise Only`;
}

/** Shared with messaging's platform mail (amounts in dunning e-mails). */
export { formatRupees } from '../../../core/money';
