import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { oneBatch } from '../../core/db-batch';
import { tryParseId } from '../../core/ids';
import { libraryScopeFilter } from '../../core/scope/library-scope';
import { studentModel, toStudent, type StudentDoc, type StudentView } from './student.model';

/**
 * Per-request batch of student lookups in the caller's tenant database (one `find` per batch).
 * A student of a library outside the caller's branch scope is null, like another tenant's.
 */
export const studentLoader = (ctx: RequestContext) =>
  ctx.memo('student.studentById', () =>
    new DataLoader<string, StudentView | null>(async (ids) => {
      const oids = ids.map(tryParseId).filter((x) => x !== null);
      if (oids.length === 0) return ids.map(() => null);
      const Student = studentModel(await ctx.tenantDb());
      const docs = await Student.find({ _id: trusted({ $in: oids }), ...libraryScopeFilter(ctx, 'libraryId', tryParseId) }).batchSize(oneBatch(oids.length)).lean<StudentDoc[]>();
      const byId = new Map(docs.map((d) => [d._id.toHexString(), toStudent(d)]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
  );
