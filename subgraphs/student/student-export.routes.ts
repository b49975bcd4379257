import { stringify } from 'csv-stringify';
import type express from 'express';
import { createContext } from '../../core/context';
import type { StudentDeps } from './context';
import { AppError } from '../../core/errors';
import { neutralise } from '../../core/documents/cells';
import { sendHttpError as fail } from '../../core/server/http-errors';
import { tryParseId } from '../../core/ids';
import { inLibraryScope, libraryScopeFilter } from '../../core/scope/library-scope';
import { can } from '../../core/permissions/catalog';
import { studentModel, type StudentDoc } from './student.model';

const COLUMNS = ['id', 'name', 'phone', 'parentPhone', 'email', 'status', 'libraryId', 'joinedAt'];

/**
 * GET /exports/students.csv[?libraryId=] on the student subgraph: the Bearer token
 * is verified exactly as for GraphQL (core createContext), and students:read is
 * required because the file holds phone numbers. Streams newest first.
 */
export function studentExportRoutes(app: express.Express, deps: StudentDeps) {
  app.get('/exports/students.csv', async (req, res) => {
    const ctx = createContext(deps, req.headers);
    if (ctx.authError) return fail(res, ctx.authError);
    if (!ctx.auth) return fail(res, new AppError('UNAUTHENTICATED', 'Authentication required'));
    if (!can(ctx.auth, 'students:read')) return fail(res, new AppError('FORBIDDEN', 'You do not have permission for this operation'));
    let filter: Record<string, unknown> = libraryScopeFilter(ctx, 'libraryId', tryParseId);
    if (req.query.libraryId !== undefined) {
      const id = typeof req.query.libraryId === 'string' ? tryParseId(req.query.libraryId) : null;
      if (!id) return fail(res, new AppError('BAD_USER_INPUT', 'libraryId: must be a valid id', { field: 'libraryId' }));
      if (!inLibraryScope(ctx, id)) return fail(res, new AppError('FORBIDDEN', 'This library is outside your branch scope'));
      filter = { libraryId: id };
    }
    let conn;
    try {
      conn = await ctx.tenantDb();
    } catch (err) {
      return fail(res, err, ctx.log);
    }
    res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', 'attachment; filename="students.csv"');
    const csv = stringify({ header: true, columns: COLUMNS, cast: { string: neutralise, date: (d) => d.toISOString() } });
    csv.pipe(res);
    try {
      for await (const d of studentModel(conn).find(filter).sort({ _id: -1 }).lean<StudentDoc>().cursor()) {
        const row = [d._id.toHexString(), d.name, d.phone, d.parentPhone ?? '', d.email ?? '', d.status, d.libraryId.toHexString(), d.joinedAt];
        if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
      }
    } catch (err) {
      ctx.log.error({ err }, 'student export failed');
      res.destroy();
      return;
    }
    csv.end();
  });
}
