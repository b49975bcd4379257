import { createRng, seedOf, type Rng } from './random';
import { FIRST_NAMES, LAST_NAMES, type DemoTenant } from './tenants';

export type Method = 'UPI' | 'CASH' | 'CARD' | 'BANK_TRANSFER';
export interface PlannedSeat {
  number: number;
  label: string;
  zone: string;
  features: string[];
}
export interface PlannedStudent {
  name: string;
  phone: string;
  email: string;
  /** Index into the tenant's libraries. */
  library: number;
  /** Amounts in paise. */
  payments: { amount: number; method: Method }[];
  booking?: { kind: 'MONTHLY' | 'DAILY'; seat: number; slot: 'FULL_DAY' | 'MORNING' | 'EVENING' };
  /** Checked in now (counts in occupancy). */
  present: boolean;
  /** Came and left earlier today (a closed visit). */
  visited: boolean;
  messages: ('seat' | 'fee' | 'report')[];
}
export interface TenantPlan {
  tenant: DemoTenant;
  seats: PlannedSeat[][];
  students: PlannedStudent[];
}

const METHODS: readonly Method[] = ['UPI', 'UPI', 'UPI', 'CASH', 'CARD', 'BANK_TRANSFER'];

/** Seat map: a silent zone at the front, the rest for group study; power at every other seat. */
function seatMap(capacity: number): PlannedSeat[] {
  const silent = Math.ceil(capacity * 0.6);
  return Array.from({ length: capacity }, (_, i) => {
    const n = i + 1;
    const features = [n % 2 === 0 ? 'power' : '', n % 6 === 1 ? 'window' : ''].filter(Boolean);
    return { number: n, label: `${n <= silent ? 'S' : 'G'}${n}`, zone: n <= silent ? 'Silent zone' : 'Group study', features };
  });
}

function uniqueName(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    if (!taken.has(name)) return (taken.add(name), name);
  }
}

/**
 * Everything the seed will create for one tenant, from a PRNG seeded by its
 * slug: pure, so the same plan (and so the same data) comes out on every run.
 */
export function planTenant(tenant: DemoTenant): TenantPlan {
  const rng = createRng(seedOf(tenant.slug));
  const names = new Set<string>();
  const students: PlannedStudent[] = [];
  const fee = rng.int(12, 20) * 10_000; // monthly fee, ₹1,200-2,000
  tenant.libraries.forEach((lib, library) => {
    const present = Math.round(lib.students * lib.present);
    let nextSeat = 1;
    for (let i = 0; i < lib.students; i++) {
      const name = uniqueName(rng, names);
      const months = rng.chance(0.3) ? 2 : 1;
      const payments = Array.from({ length: months }, () => ({ amount: fee, method: rng.pick(METHODS) }));
      const roll = rng.next();
      const booking =
        roll < 0.45 && nextSeat <= lib.capacity
          ? { kind: 'MONTHLY' as const, seat: nextSeat++, slot: 'FULL_DAY' as const }
          : roll < 0.6 && nextSeat <= lib.capacity
            ? { kind: 'DAILY' as const, seat: nextSeat++, slot: rng.pick(['MORNING', 'EVENING'] as const) }
            : undefined;
      const isPresent = i < present;
      const messages: PlannedStudent['messages'] = [];
      if (booking && rng.chance(0.5)) messages.push('seat');
      if (rng.chance(0.25)) messages.push('fee');
      if (rng.chance(0.15)) messages.push('report');
      students.push({
        name,
        phone: `9${String(seedOf(`${tenant.slug}:${name}`) % 1_000_000_000).padStart(9, '0')}`,
        email: `${name.toLowerCase().replace(/ /g, '.')}@students.${tenant.domain}`,
        library,
        payments,
        booking,
        present: isPresent,
        visited: !isPresent && rng.chance(0.4),
        messages,
      });
    }
  });
  return { tenant, seats: tenant.libraries.map((l) => seatMap(l.capacity)), students };
}
