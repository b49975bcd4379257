/** Indian digit grouping of a paise amount, e.g. 12000050 → "1,20,000.50". */
export function formatRupees(paise: number): string {
  const rupees = String(Math.floor(paise / 100));
  const last3 = rupees.slice(-3);
  const head = rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${head ? `${head},` : ''}${last3}.${String(paise % 100).padStart(2, '0')}`;
}
