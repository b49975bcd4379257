import type { MessagingContext } from './context';
import { AppError } from '../../core/errors';
import { callSubgraph, fetchEntities } from '../../core/internal';
import { studentsWithDues } from './dues.client';
import type { StudentContact } from './message.service';
import { StudentStatus } from './student-status.type';

const STUDENTS = `query($f: StudentFilter, $a: String) {
  students(filter: $f, first: 100, after: $a) { edges { node { id name phone email } } pageInfo { hasNextPage endCursor } }
}`;

interface Page {
  students: { edges: { node: StudentContact }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };
}

/** Most students one bulk send may reach; more is refused rather than half-sent. */
export const MAX_BULK_RECIPIENTS = 5000;

/** Every matching student of the caller's tenant, paging through the student subgraph with the caller's token. */
export async function listRecipients(
  ctx: MessagingContext,
  filter: { libraryId?: string; status?: string; duesOlderThanDays?: number },
): Promise<StudentContact[]> {
  const owing = filter.duesOlderThanDays ? await studentsWithDues(ctx, filter.duesOlderThanDays) : null;
  const f: Record<string, string> = {};
  if (filter.libraryId) f.libraryId = filter.libraryId;
  if (filter.status) f.status = (Object.keys(StudentStatus) as (keyof typeof StudentStatus)[]).find((k) => StudentStatus[k] === filter.status)!;
  const all: StudentContact[] = [];
  let after: string | null | undefined;
  do {
    const page: Page = await callSubgraph<Page>(ctx, 'student', STUDENTS, { f, a: after ?? null });
    all.push(...page.students.edges.map((e) => e.node).filter((s) => !owing || owing.has(s.id)));
    if (all.length > MAX_BULK_RECIPIENTS) {
      throw new AppError('LIMIT_EXCEEDED', `More than ${MAX_BULK_RECIPIENTS} students match; narrow the filter`);
    }
    after = page.students.pageInfo.hasNextPage ? page.students.pageInfo.endCursor : null;
  } while (after);
  return all;
}

/** One student's name and contacts (`_entities` on the student subgraph); null when not a student of ctx's tenant. */
export async function studentContact(ctx: MessagingContext, id: string): Promise<StudentContact | null> {
  const [student] = await fetchEntities<StudentContact>(ctx, 'student', 'Student', [id], 'id name phone email');
  return student ?? null;
}

export type DueStudent = StudentContact & { status: string; library: { id: string } | null };

/** Contacts, status and library of students, in the order of `ids` (null where none). */
export const dueStudents = (ctx: MessagingContext, ids: string[]) =>
  fetchEntities<DueStudent>(ctx, 'student', 'Student', ids, 'id name phone email status library { id }');
