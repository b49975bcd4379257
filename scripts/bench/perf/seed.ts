import { randomBytes } from 'node:crypto';
import { seedTenantData } from '../../../tests/helpers/fixtures';
import type { System } from '../../../tests/helpers/system';
import { mintToken, pool, type Ok } from './client';

export interface BenchTenant {
  id: string;
  slug: string;
  token: string;
}

const key = () => randomBytes(6).toString('hex');

/** createTenant through the gateway, then an owner token (no bcrypt login needed: we hold the key). */
export async function createTenant(ok: Ok, superToken: string, slug: string, plan = 'enterprise'): Promise<BenchTenant> {
  const d = await ok(
    'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id slug } }',
    { i: { name: `Tenant ${slug}`, slug, plan, owner: { email: `owner@${slug}.test`, name: 'Owner', password: 'correct-horse-battery' } } },
    superToken,
  );
  const t = { id: d.createTenant.id as string, slug };
  return { ...t, token: mintToken('owner', t, `owner-${slug}`) };
}

export async function createStudents(ok: Ok, t: BenchTenant, libraryIds: string[], n: number, withPayment: boolean): Promise<string[]> {
  return pool(
    Array.from({ length: n }, (_, i) => i),
    6,
    async (i) => {
      const s = await ok(
        'mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }',
        { i: { name: `Student ${i}`, phone: `9${String(100000000 + i).slice(-9)}`, libraryId: libraryIds[i % libraryIds.length] } },
        t.token,
      );
      if (withPayment) {
        await ok(
          'mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }',
          { i: { studentId: s.createStudent.id, amount: 100000 + i, method: 'UPI', idempotencyKey: `bench-${key()}` } },
          t.token,
        );
      }
      return s.createStudent.id as string;
    },
  );
}

export async function createLibraries(ok: Ok, t: BenchTenant, n: number, capacity = 5000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = await ok('mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }', { i: { name: `Hall ${i} ${t.slug}`, capacity } }, t.token);
    ids.push(d.createLibrary.id);
  }
  return ids;
}

/** W1: one of everything (tests' fixture: booking, check-in, payment, credits, message) plus `extra` students. */
export async function seedDashboardTenant(ok: Ok, superToken: string, extra: number): Promise<BenchTenant & { libraryId: string }> {
  const t = await createTenant(ok, superToken, 'bench-w1');
  // seedTenantData only needs ok() and a platform token.
  const sys = { ok: (q: string, v?: Record<string, unknown>, o?: { token?: string }) => ok(q, v, o?.token), superToken } as unknown as System;
  const data = await seedTenantData(sys, { ...t, ownerEmail: '', password: '', ownerToken: t.token }, 1_000_000);
  await createStudents(ok, t, [data.libraryId], extra, true);
  return { ...t, libraryId: data.libraryId };
}

/** Cursors that split the newest `total` students into pages of `size` (for one aliased request). */
export async function pageCursors(ok: Ok, t: BenchTenant, total: number, size: number): Promise<(string | null)[]> {
  const cursors: (string | null)[] = [null];
  while (cursors.length * size < total) {
    const d = await ok('query($n: Int!, $a: String) { students(first: $n, after: $a) { pageInfo { endCursor } } }', { n: size, a: cursors.at(-1) }, t.token);
    cursors.push(d.students.pageInfo.endCursor);
  }
  return cursors;
}
