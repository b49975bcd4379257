/** India has no DST: Asia/Kolkata is always UTC+05:30. */
const IST_OFFSET_MS = 330 * 60_000;

const istParts = (at: Date) => {
  const ist = new Date(at.getTime() + IST_OFFSET_MS);
  return { year: ist.getUTCFullYear(), month: ist.getUTCMonth() + 1 };
};

/** `YYYY-MM` of an instant in Asia/Kolkata. */
export function istMonth(at: Date): string {
  const { year, month } = istParts(at);
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Indian financial year (April–March) of an instant, e.g. `2026-27`. */
export function financialYear(at: Date): string {
  const { year, month } = istParts(at);
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}
