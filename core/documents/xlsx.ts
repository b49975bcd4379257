import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutralise } from './cells';

/**
 * Cell types: text is guarded against formula injection; numbers stay numbers (sums and
 * filters work in Excel); money is integer paise written as rupees with two decimals;
 * dates are real dates (formatted dd-mmm-yyyy).
 */
export type XlsxCellType = 'text' | 'integer' | 'money' | 'date';

export interface XlsxColumn {
  header: string;
  type: XlsxCellType;
  /** Characters wide (default by type). */
  width?: number;
}

export type XlsxValue = string | number | Date | null | undefined;

export interface XlsxSheet {
  /** One row, values in column order, written out at once (streamed, not kept). */
  row(values: readonly XlsxValue[], opts?: { bold?: boolean }): void;
  /** Finishes the sheet (rows can no longer be added). */
  done(): void;
}

export interface XlsxWriter {
  sheet(name: string, columns: readonly XlsxColumn[]): XlsxSheet;
  /**
   * Backpressure for long exports: lets the zip compress what was committed, then waits
   * while `out` is full (a slow client). Throws once `out` is gone (the client left), so a
   * cursor loop stops reading. Call it every few hundred rows.
   */
  drain(): Promise<void>;
  /** Finishes the workbook; resolves once the whole file went to `out`. */
  end(): Promise<void>;
}

const FORMATS: Record<XlsxCellType, string | undefined> = { text: undefined, integer: '0', money: '#,##0.00', date: 'dd-mmm-yyyy' };
const WIDTHS: Record<XlsxCellType, number> = { text: 24, integer: 10, money: 14, date: 14 };

function cell(type: XlsxCellType, v: XlsxValue): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'text':
      return neutralise(String(v));
    case 'integer':
      return typeof v === 'number' ? v : Number(v);
    case 'money':
      // Paise → rupees: exact in binary floating point to two decimals for any realistic amount.
      return typeof v === 'number' ? v / 100 : Number(v) / 100;
    case 'date':
      return v instanceof Date ? v : new Date(String(v));
  }
}

/**
 * A workbook streamed into `out` (exceljs WorkbookWriter: each committed row is
 * written to the zip and dropped, so a large export never sits in memory).
 */
export function useXlsx(options: { out: Writable; creator?: string }): XlsxWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: options.out, useStyles: true, useSharedStrings: false });
  wb.creator = options.creator ?? 'StudySpot';
  return {
    sheet: (name, columns) => {
      // Sheet names: at most 31 characters, none of : \ / ? * [ ].
      // The frozen header goes in at creation: a streamed sheet's `views` is read-only afterwards.
      const ws = wb.addWorksheet(name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width ?? WIDTHS[c.type], style: FORMATS[c.type] ? { numFmt: FORMATS[c.type] } : {} }));
      const header = ws.addRow(columns.map((c) => c.header));
      header.font = { bold: true };
      header.commit();
      return {
        row: (values, opts = {}) => {
          const r = ws.addRow(columns.map((c, i) => cell(c.type, values[i])));
          if (opts.bold) r.font = { bold: true };
          r.commit();
        },
        done: () => ws.commit(),
      };
    },
    drain: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const { out } = options;
      while (out.writableNeedDrain && !out.destroyed) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('close', done);
            resolve();
          };
          out.on('drain', done);
          out.on('close', done);
        });
      }
      if (out.destroyed) throw new Error('The download was abandoned');
    },
    end: () => wb.commit(),
  };
}
