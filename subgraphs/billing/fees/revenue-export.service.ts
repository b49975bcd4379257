import { neutralise } from '../../../core/documents/cells';
import type express from 'express';
import type { BillingDeps } from '../context';
import { tryParseId } from '../../../core/ids';
import { libraryNames } from './tenant.client';
import { libraryScopeFilter } from '../../../core/scope/library-scope';
import { formatRupees } from '../invoicing/gst.service';
import { authedRoute } from '../invoicing/http-auth.service';
import { modulesOf } from '../../../core/permissions/modules';
import { billingSubgraphModules } from '../rules';
import { checkInput } from '../../../core/validation/check';
import { RevenueArgs } from './revenue.input';
import { revenueReport, RevenueGroupBy } from './revenue-report.service';

/**
 * One CSV field: quoted when it holds a comma, quote or line break (quotes
 * doubled, RFC 4180); text starting with = + - @ tab or CR gets a leading
 * apostrophe so spreadsheets don't run it as a formula.
 */
export function csvField(v: unknown): string {
  const s = neutralise(String(v ?? ''));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (fields: unknown[]) => `${fields.map(csvField).join(',')}\r\n`;

/** GET /exports/revenue.csv?fromMonth=YYYY-MM&toMonth=YYYY-MM — revenue:read (modules as revenueReport), rows by month, library and method, of the caller's libraries. */
export function revenueExportRoutes(app: express.Express, deps: BillingDeps): void {
  app.get(
    '/exports/revenue.csv',
    authedRoute(
      deps,
      'revenue:read',
      async (ctx, req, res) => {
        // The query string is checked by revenueSummary's own argument class.
        const { fromMonth, toMonth } = await checkInput(RevenueArgs, { fromMonth: req.query.fromMonth, toMonth: req.query.toMonth });
        const rows = await revenueReport(
          await ctx.tenantDb(),
          [RevenueGroupBy.MONTH, RevenueGroupBy.LIBRARY, RevenueGroupBy.METHOD],
          fromMonth,
          toMonth,
          libraryScopeFilter(ctx, 'libraryId', tryParseId),
        );
        const ids = [...new Set(rows.map((r) => r.libraryId!))];
        const names = await libraryNames(ctx, ids);
        let csv = csvLine(['month', 'library_id', 'library_name', 'method', 'payments', 'total_paise', 'total_inr']);
        for (const r of rows) {
          csv += csvLine([r.month, r.libraryId, names.get(r.libraryId!), r.method, r.count, r.total, formatRupees(r.total).replace(/,/g, '')]);
        }
        const name = `revenue-${fromMonth ?? 'start'}-${toMonth ?? 'now'}.csv`;
        res
          .status(200)
          .set({
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${name}"`,
            'cache-control': 'private, no-store',
          })
          .send(csv);
      },
      modulesOf(billingSubgraphModules, 'Query', 'revenueReport'),
    ),
  );
}
