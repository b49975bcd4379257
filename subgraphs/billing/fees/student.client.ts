import { notFound } from '../../../core/errors';
import { callSubgraph, fetchEntities } from '../../../core/internal';
import type { BillingContext } from '../context';

/** Calls to the student subgraph (`_entities`, with the caller's token: same tenant only). */

/** The student's library; NOT_FOUND if the student subgraph does not know the student. */
export async function studentLibrary(ctx: BillingContext, studentId: string): Promise<string> {
  const [student] = await fetchEntities<{ id: string; library: { id: string } | null }>(ctx, 'student', 'Student', [studentId], 'id library { id }');
  if (!student?.library) throw notFound('Student');
  return student.library.id;
}

/** The student's library and phone (prefilled at the gateway's checkout); NOT_FOUND if unknown. */
export async function studentForOrder(ctx: BillingContext, studentId: string) {
  const [s] = await fetchEntities<{ id: string; phone: string | null; library: { id: string } | null }>(
    ctx,
    'student',
    'Student',
    [studentId],
    'id phone library { id }',
  );
  if (!s?.library) throw notFound('Student');
  return { libraryId: s.library.id, phone: s.phone ?? undefined };
}

/** The student's name, or null when the student subgraph cannot say (an invoice still renders). */
export async function studentName(ctx: BillingContext, studentId: string): Promise<string | null> {
  const [student] = await fetchEntities<{ name: string }>(ctx, 'student', 'Student', [studentId], 'name').catch(() => [null]);
  return student?.name ?? null;
}

/** Names of several students (batches of 100 `_entities`); an unknown id maps to ''. */
export async function studentNames(ctx: BillingContext, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const names = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 100) {
    const part = unique.slice(i, i + 100);
    const found = await fetchEntities<{ name: string }>(ctx, 'student', 'Student', part, 'name');
    part.forEach((id, j) => names.set(id, found[j]?.name ?? ''));
  }
  return names;
}

/** How many students the tenant has (SaaS plan limits). */
export async function studentCount(ctx: BillingContext): Promise<number> {
  const data = await callSubgraph<{ students: { totalCount: number } }>(ctx, 'student', '{ students(first: 1) { totalCount } }');
  return data.students.totalCount;
}
