import { addDays, addMonths, daysBetween, financialYear, isValidDay, istDay, istMidnight, istMonth, DAY_PATTERN, MONTH_PATTERN } from '../core/tenant-time';

/** Unit tests of core/tenant-time.ts (no system started): India is UTC+05:30, no DST. */
describe('tenant-local (India) dates', () => {
  it('puts an instant on its Indian day, across midnight IST (18:30 UTC)', () => {
    expect(istDay(new Date('2026-03-14T18:29:59.999Z'))).toBe('2026-03-14');
    expect(istDay(new Date('2026-03-14T18:30:00.000Z'))).toBe('2026-03-15');
    expect(istDay(new Date('2026-03-15T00:00:00Z'))).toBe('2026-03-15');
    // Same answer as the time-zone database, any season (there is no DST to get wrong).
    const kolkata = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 1_234_567) {
      expect(istDay(new Date(t))).toBe(kolkata.format(new Date(t)));
    }
  });

  it('puts instants in the IST month and the April–March financial year (moved from billing.test.ts)', () => {
    // 31 Mar 2027 19:00 UTC is already 1 Apr 2027 00:30 in India.
    expect(istMonth(new Date('2027-03-31T18:29:59Z'))).toBe('2027-03');
    expect(istMonth(new Date('2027-03-31T18:30:00Z'))).toBe('2027-04');
    expect(financialYear(new Date('2027-03-31T18:29:59Z'))).toBe('2026-27');
    expect(financialYear(new Date('2027-03-31T18:30:00Z'))).toBe('2027-28');
    expect(financialYear(new Date('2099-06-01T00:00:00Z'))).toBe('2099-00');
    // Month and year boundaries at midnight IST.
    expect([new Date('2026-01-31T18:29:59Z'), new Date('2026-01-31T18:30:00Z'), new Date('2025-12-31T18:30:00Z')].map(istMonth)).toEqual([
      '2026-01',
      '2026-02',
      '2026-01',
    ]);
  });

  it('gives the instant an Indian day starts', () => {
    expect(new Date(istMidnight('2026-03-15')).toISOString()).toBe('2026-03-14T18:30:00.000Z');
    expect(istDay(new Date(istMidnight('2026-03-15')))).toBe('2026-03-15');
    expect(istDay(new Date(istMidnight('2026-03-15') - 1))).toBe('2026-03-14');
  });

  it('validates days and months', () => {
    expect(isValidDay('2028-02-29')).toBe(true);
    expect(isValidDay('2027-02-29')).toBe(false);
    expect(isValidDay('2030-02-30')).toBe(false);
    expect(isValidDay('2030-13-01')).toBe(false);
    expect(isValidDay('2030-1-01')).toBe(false);
    expect(DAY_PATTERN.test('2030-12-31')).toBe(true);
    expect(MONTH_PATTERN.test('2030-12')).toBe(true);
    expect(MONTH_PATTERN.test('2030-00')).toBe(false);
  });

  it('does day and month arithmetic on calendar days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-02-10', '2026-02-01')).toBe(-9);
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
});
