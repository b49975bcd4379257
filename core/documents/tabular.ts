import type { Writable } from 'node:stream';
import { istDay } from '../tenant-time';
import type { DocumentFormatName } from './link';
import { inr, usePdf, type PdfBranding } from './pdf';
import { useXlsx, type XlsxCellType, type XlsxSheet, type XlsxValue } from './xlsx';

/** A column of a report that renders as PDF and as XLSX from one definition. */
export interface TabularColumn {
  header: string;
  type: XlsxCellType;
  /** Share of the PDF page width (XLSX widths follow the type). */
  width: number;
}

export interface TabularSection {
  row(values: readonly XlsxValue[], opts?: { bold?: boolean }): void;
}

export interface TabularWriter {
  /** A titled table (PDF) or a sheet (XLSX); the previous one is finished. */
  section(name: string, columns: readonly TabularColumn[]): TabularSection;
  end(): Promise<void>;
}

export interface TabularOptions {
  format: DocumentFormatName;
  out: Writable;
  branding: PdfBranding;
  title: string;
  subtitle?: string;
  /** PDF page orientation (wide registers: landscape). */
  layout?: 'portrait' | 'landscape';
}

/** How a typed value reads in a PDF cell: money as `INR 1,234.00`, dates as the IST day. */
function pdfCell(type: XlsxCellType, v: XlsxValue): string {
  if (v === null || v === undefined) return '';
  if (type === 'money') return inr(Number(v));
  if (type === 'date') return istDay(v instanceof Date ? v : new Date(String(v)));
  return String(v);
}

/**
 * One report, two formats: registers and statements write sections of typed rows once and
 * get a paginated A4 PDF or a streamed workbook (a sheet per section, numbers as numbers).
 */
export function useTabular(options: TabularOptions): TabularWriter {
  const { format, out, branding, title, subtitle, layout } = options;
  if (format === 'XLSX') {
    const xlsx = useXlsx({ out, creator: branding.name });
    let open: XlsxSheet | undefined;
    return {
      section: (name, columns) => {
        open?.done();
        open = xlsx.sheet(name, columns);
        return open;
      },
      end: async () => {
        open?.done();
        await xlsx.end();
      },
    };
  }
  const pdf = usePdf({ out, branding, title, subtitle, layout });
  let first = true;
  return {
    section: (name, columns) => {
      if (!first) pdf.gap();
      first = false;
      pdf.heading(name);
      const table = pdf.table(columns.map((c) => ({ header: c.header, width: c.width, align: c.type === 'text' || c.type === 'date' ? 'left' : 'right' })));
      return {
        row: (values, opts) =>
          table.row(
            columns.map((c, i) => pdfCell(c.type, values[i])),
            opts,
          ),
      };
    },
    end: () => pdf.end(),
  };
}
