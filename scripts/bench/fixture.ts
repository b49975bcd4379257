import type { System, TestTenant } from '../../tests/helpers/system';

/** The tenant, library and students the subscription benchmark works on. */
export interface Fixture {
  sys: System;
  tenant: TestTenant;
  libraryId: string;
  students: string[];
}

export type OccupancyMutation = 'checkIn' | 'checkOut';

export const LIBRARY = 'Bench Hall';

/** One tenant, one library, ceil(maxEvents / 2) students: each checks in once and out once. */
export async function setUp(sys: System, maxEvents: number): Promise<Fixture> {
  const tenant = await sys.createTenant('bench-subs', { plan: 'professional' });
  const as = { token: tenant.ownerToken };
  // Capacity far above the peak occupancy, so no near-capacity notification joins in.
  const lib = await sys.ok(
    'mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }',
    { i: { name: LIBRARY, capacity: 10 * maxEvents } }, as,
  );
  const libraryId: string = lib.createLibrary.id;
  const students: string[] = [];
  for (let i = 0; i < Math.ceil(maxEvents / 2); i++) {
    const s = await sys.ok(
      'mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }',
      { i: { name: `Student ${i}`, phone: '9876543210', libraryId } }, as,
    );
    students.push(s.createStudent.id);
  }
  return { sys, tenant, libraryId, students };
}

/** Event k of m: the first ceil(m/2) check students in (occupancy rises), the rest check them out. */
export function mutationFor(f: Fixture, k: number, m: number): { field: OccupancyMutation; student: string } {
  const half = Math.ceil(m / 2);
  return k < half ? { field: 'checkIn', student: f.students[k] } : { field: 'checkOut', student: f.students[k - half] };
}

/** One mutation over HTTP through the gateway, as the tenant owner; throws on any GraphQL error. */
export async function mutate(f: Fixture, field: OccupancyMutation, student: string): Promise<void> {
  await f.sys.ok(`mutation($s: ID!) { ${field}(studentId: $s) { id } }`, { s: student }, { token: f.tenant.ownerToken });
}
