/** How payment methods read on documents. */
export const METHOD_LABEL: Readonly<Record<string, string>> = { cash: 'Cash', upi: 'UPI', card: 'Card', bank_transfer: 'Bank transfer', online: 'Online' };

/** A date as printed on documents: 06 Dec 2026 (Asia/Kolkata). */
export const istDate = (d: Date) => d.toLocaleDateString('en-IN', { timeZone: 'Asia/Kolkata', day: '2-digit', month: 'short', year: 'numeric' });
