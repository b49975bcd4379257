import type { StudentContext } from './context';
import { tryParseId } from '../../core/ids';
import { libraryScopeFilter } from '../../core/scope/library-scope';
import { byIdLoader } from '../../core/store/by-id-loader';
import { studentModel, type StudentDoc } from './student.model';
import { toStudent, type StudentView } from './student.service';

/**
 * Per-request batch of student lookups in the caller's tenant database (one `find` per batch).
 * A student of a library outside the caller's branch scope is null, like another tenant's.
 */
export const studentLoader = (ctx: StudentContext) =>
  byIdLoader<StudentDoc, StudentView>(ctx, 'student.studentById', {
    model: async () => studentModel(await ctx.tenantDb()),
    filter: () => libraryScopeFilter(ctx, 'libraryId', tryParseId),
    view: toStudent,
  });
