import type { Writable } from 'node:stream';
import type { DocumentRenderer } from '../../../core/documents/routes';
import { tenantBranding, usePdf, type PdfBranding, type PdfColumn } from '../../../core/documents/pdf';
import { useXlsx, type XlsxColumn } from '../../../core/documents/xlsx';
import type { StudentServices } from '../context';
import { libraryName } from '../tenant.client';
import { sheetOf, type AttendanceSheet, type SheetRow } from './attendance-sheet.service';

/** 'March 2026' for '2026-03'. */
export const monthLabel = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** P present; A absent on a day already past since joining; blank before joining or in the future. */
function mark(sheet: AttendanceSheet, row: SheetRow, i: number): string {
  if (row.checkIns[i] > 0) return 'P';
  const day = sheet.days[i];
  return day <= sheet.today && day >= row.joinedDay ? 'A' : '';
}

/** The PDF of a sheet (A4 landscape): also what docs/images/attendance-sheet.png was rendered from. */
export function attendanceSheetPdf(sheet: AttendanceSheet, out: Writable, branding: PdfBranding, library: string) {
  const pdf = usePdf({
    out,
    branding,
    layout: 'landscape',
    title: 'Attendance Sheet',
    subtitle: `${library} · ${monthLabel(sheet.month)}`,
    footer: 'P = checked in at least once that day, A = absent. Computer-generated.',
  });
  pdf.fields([
    ['Students', String(sheet.rows.length)],
    ['Check-ins', String(sheet.checkInsByDay.reduce((a, b) => a + b, 0))],
  ]);
  const columns: PdfColumn[] = [
    { header: 'Student', width: 7 },
    ...sheet.days.map((d): PdfColumn => ({ header: String(Number(d.slice(8))), width: 1, align: 'center' })),
    { header: 'Days', width: 1.6, align: 'right' },
    { header: 'Visits', width: 1.6, align: 'right' },
  ];
  const table = pdf.table(columns, { fontSize: 7, padding: 2 });
  for (const r of sheet.rows) table.row([r.name, ...sheet.days.map((_, i) => mark(sheet, r, i)), String(r.daysPresent), String(r.totalCheckIns)]);
  const sum = (xs: number[]) => String(xs.reduce((a, b) => a + b, 0));
  table.row(['Present', ...sheet.presentByDay.map(String), sum(sheet.rows.map((r) => r.daysPresent)), ''], { bold: true });
  table.row(['Check-ins', ...sheet.checkInsByDay.map(String), '', sum(sheet.checkInsByDay)], { bold: true });
  return pdf.end();
}

function xlsxSheet(sheet: AttendanceSheet, out: Writable) {
  const xlsx = useXlsx({ out });
  const columns: XlsxColumn[] = [
    { header: 'Student', type: 'text' },
    { header: 'Student ID', type: 'text', width: 26 },
    ...sheet.days.map((d): XlsxColumn => ({ header: String(Number(d.slice(8))), type: 'integer', width: 4 })),
    { header: 'Days present', type: 'integer', width: 12 },
    { header: 'Check-ins', type: 'integer' },
  ];
  const ws = xlsx.sheet(`Attendance ${sheet.month}`, columns);
  for (const r of sheet.rows) ws.row([r.name, r.id, ...r.checkIns.map((n) => n || null), r.daysPresent, r.totalCheckIns]);
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  ws.row(['Students present', null, ...sheet.presentByDay, total(sheet.rows.map((r) => r.daysPresent)), null], { bold: true });
  ws.row(['Check-ins', null, ...sheet.checkInsByDay, null, total(sheet.checkInsByDay)], { bold: true });
  ws.done();
  return xlsx.end();
}

/**
 * A library's month: PDF (P/A grid, A4 landscape, the tenant's branding) or XLSX (check-in
 * counts per day, numbers Excel can sum). Per-day totals are attendanceStats' figures for
 * the library (uniqueStudents, checkIns); per-student ones its studentAttendance days.
 */
export const attendanceSheetRenderer: DocumentRenderer<StudentServices> = {
  formats: ['PDF', 'XLSX'],
  render: async (ctx, { params, format, out }) => {
    const sheet = await sheetOf(ctx, params);
    if (format === 'XLSX') return xlsxSheet(sheet, out);
    const [tenant, library] = await Promise.all([ctx.tenant(), libraryName(ctx, String(params.libraryId))]);
    return attendanceSheetPdf(sheet, out, tenantBranding(tenant), library);
  },
};
