import { randomBytes } from 'node:crypto';
import { seedTenantData } from '../../tests/helpers/fixtures';
import { startSystem, type System } from '../../tests/helpers/system';
import type { FuzzTarget } from './hostile';
import type { ProbeTarget } from './probes';

export interface FuzzSystem {
  sys: System;
  fuzz: FuzzTarget;
  probes: ProbeTarget;
  studentId: string;
  /** `n` access tokens of distinct owners of the victim tenant (the first is its owner's), for the load. */
  loadTokens(n: number): Promise<string[]>;
}

/**
 * The in-process system (tests/helpers/system.ts) with two seeded tenants: the
 * victim A and the attacker B (owner, manager, staff). Rate limits are off so the
 * figures measure the API, not the limiter (tests/security.test.ts covers that).
 */
export async function startFuzzSystem(): Promise<FuzzSystem> {
  const sys = await startSystem({ RATE_LIMIT_IP: '0', RATE_LIMIT_USER: '0', RATE_LIMIT_TENANT: '0' });
  const tag = randomBytes(3).toString('hex');
  const a = await sys.createTenant(`fz-a-${tag}`, { plan: 'professional' });
  const b = await sys.createTenant(`fz-b-${tag}`, { plan: 'professional' });
  const aData = await seedTenantData(sys, a);
  const ids = {
    student: aData.studentId,
    library: aData.libraryId,
    payment: aData.paymentId,
    booking: aData.bookingId,
    template: aData.templateId,
    message: aData.messageId,
  };
  const attackers = [b.ownerToken, await sys.userToken(b, 'manager'), await sys.userToken(b, 'staff')];
  return {
    sys,
    studentId: aData.studentId,
    loadTokens: async (n) => [a.ownerToken, ...(await Promise.all(Array.from({ length: Math.max(0, n - 1) }, () => sys.userToken(a, 'owner'))))],
    fuzz: { graphqlUrl: sys.gatewayUrl, token: a.ownerToken },
    probes: {
      gatewayUrl: sys.gatewayUrl,
      subgraphUrls: sys.subgraphUrls,
      victim: { id: a.id, slug: a.slug, ids },
      attackers,
      markers: [...Object.values(ids), a.id, `Student ${a.slug}`, `Main ${a.slug}`, `s@${a.slug}.test`, `Tenant ${a.slug}`],
    },
  };
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: [string, string | number][]): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}\n${'-'.repeat(w + 20)}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}
