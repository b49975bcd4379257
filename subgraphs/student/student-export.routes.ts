import { stringify } from 'csv-stringify';
import type express from 'express';
import { createContext } from '../../core/context';
import type { StudentDeps } from './context';
import { AppError, ERROR_CATALOG } from '../../core/errors';
import { tryParseId } from '../../core/ids';
import { inLibraryScope, libraryScopeFilter } from '../../core/scope/library-scope';
import { can } from '../../core/permissions/catalog';
import { studentModel, type StudentDoc } from './student.model';

const COLUMNS = ['id', 'name', 'phone', 'parentPhone', 'email', 'status', 'libraryId', 'joinedAt'];

/**
 * Spreadsheet formula injection: a cell starting with = + - @ (or tab / CR) is
 * prefixed with a quote so Excel/Sheets show it as text (OWASP). Phones such as
 * "+9198..." therefore export as "'+9198...".
 */
export const neutralise = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const HTTP_STATUS: Partial<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  TENANT_SUSPENDED: 403,
  SERVICE_UNAVAILABLE: 503,
};

function fail(res: express.Response, err: AppError) {
  const code = String(err.extensions.code);
  res.status(HTTP_STATUS[code] ?? 500).json({ error: { code, errorCode: ERROR_CATALOG[code as keyof typeof ERROR_CATALOG], message: err.message } });
}

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
      return err instanceof AppError ? fail(res, err) : fail(res, new AppError('INTERNAL', 'Internal server error'));
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
