import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { formatRupees } from '../money';
import type { TenantRecord } from '../tenancy/registry';

/** Who the document is from, printed at the top of every first page. */
export interface PdfBranding {
  /** Business (legal) name. */
  name: string;
  address?: string;
  /** Printed as "GSTIN: …" when given. */
  gstin?: string;
}

/** A tenant's branding from its registry entry (subgraphs with seller details, like billing, add address and GSTIN). */
export const tenantBranding = (tenant: Pick<TenantRecord, 'name' | 'branding'>): PdfBranding => ({ name: tenant.branding?.displayName || tenant.name });

/**
 * Standard PDF fonts (Helvetica) have no ₹ glyph: amounts read `INR 1,20,000.50`
 * (Indian grouping, core/money.ts) from integer paise.
 */
export const inr = (paise: number) => (paise < 0 ? `INR -${formatRupees(-paise)}` : `INR ${formatRupees(paise)}`);

export interface PdfColumn {
  header: string;
  /** Share of the printable width (the shares of a table's columns are scaled to fill it). */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface PdfTable {
  /** One row (cells as text); starts a new page, with the header again, when the row does not fit. */
  row(cells: readonly string[], opts?: { bold?: boolean }): void;
}

export interface PdfWriter {
  /** The pdfkit document, for anything the helpers don't cover. */
  doc: PDFKit.PDFDocument;
  heading(text: string): void;
  text(text: string, opts?: { bold?: boolean; size?: number; color?: string }): void;
  /** Label/value lines (e.g. invoice number, date). */
  fields(pairs: readonly (readonly [string, string])[]): void;
  /** `fontSize` (default 9) and cell `padding` (default 4) let a dense grid fit its columns. */
  table(columns: readonly PdfColumn[], opts?: { fontSize?: number; padding?: number }): PdfTable;
  gap(lines?: number): void;
  /** Finishes the document and resolves once the whole file went to `out`. */
  end(): Promise<void>;
}

export interface PdfOptions {
  out: Writable;
  branding: PdfBranding;
  /** Document title (first page, and the PDF's metadata). */
  title: string;
  subtitle?: string;
  /** Footer text left of the page number (e.g. "Computer-generated invoice"). */
  footer?: string;
  /** Default portrait; wide tables (registers, an attendance sheet's 31 day columns) read better landscape. */
  layout?: 'portrait' | 'landscape';
}

const MARGIN = 40;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const GREY = '#555555';
const CELL_PAD = 4;

/**
 * An A4 PDF streamed into `out` as it is written (pdfkit pipes page by page, never the
 * whole file in memory): branding header, title, numbered footer on every page, and a
 * table that paginates. Numbers are "Page N" (a total would need every page buffered).
 */
export function usePdf(options: PdfOptions): PdfWriter {
  const { out, branding, title, subtitle, footer, layout = 'portrait' } = options;
  const doc = new PDFDocument({ size: 'A4', layout, margin: MARGIN, info: { Title: title, Author: branding.name, Producer: 'StudySpot' } });
  let page = 0;
  const drawFooter = () => {
    page += 1;
    // Writing below the bottom margin would make pdfkit add a page: lift it while the footer is drawn.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 12;
    const { x: keepX, y: keepY } = doc;
    doc.font(FONT).fontSize(8).fillColor(GREY);
    if (footer) doc.text(footer, MARGIN, y, { width: doc.page.width - 2 * MARGIN, align: 'left', lineBreak: false });
    doc.text(`Page ${page}`, MARGIN, y, { width: doc.page.width - 2 * MARGIN, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.x = keepX;
    doc.y = keepY;
    doc.fillColor('black');
  };
  doc.on('pageAdded', drawFooter);
  doc.pipe(out);
  drawFooter();

  const width = () => doc.page.width - 2 * MARGIN;
  doc.font(BOLD).fontSize(14).text(branding.name);
  doc.font(FONT).fontSize(9).fillColor(GREY);
  if (branding.address) doc.text(branding.address);
  if (branding.gstin) doc.text(`GSTIN: ${branding.gstin}`);
  doc.fillColor('black').moveDown(0.5);
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + width(), doc.y)
    .strokeColor('#999999')
    .stroke();
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(16).text(title);
  if (subtitle) doc.font(FONT).fontSize(10).fillColor(GREY).text(subtitle).fillColor('black');
  doc.moveDown(0.8);

  const fitsOrBreak = (height: number): boolean => {
    if (doc.y + height <= doc.page.height - doc.page.margins.bottom) return false;
    doc.addPage();
    return true;
  };

  return {
    doc,
    heading: (text) => {
      fitsOrBreak(40);
      doc.x = MARGIN;
      doc.font(BOLD).fontSize(12).text(text).moveDown(0.3);
    },
    text: (text, opts = {}) => {
      doc.x = MARGIN;
      doc
        .font(opts.bold ? BOLD : FONT)
        .fontSize(opts.size ?? 10)
        .fillColor(opts.color ?? 'black')
        .text(text, { width: width() })
        .fillColor('black');
    },
    fields: (pairs) => {
      doc.fontSize(10);
      for (const [label, value] of pairs) {
        fitsOrBreak(14);
        const y = doc.y;
        doc.font(BOLD).text(label, MARGIN, y, { width: 140 });
        doc.font(FONT).text(value, MARGIN + 150, y, { width: width() - 150 });
      }
      doc.x = MARGIN;
      doc.moveDown(0.5);
    },
    table: (columns, opts = {}) => {
      const size = opts.fontSize ?? 9;
      const pad = opts.padding ?? CELL_PAD;
      const total = columns.reduce((s, c) => s + c.width, 0);
      const widths = columns.map((c) => (c.width / total) * width());
      const measure = (cells: readonly string[], bold: boolean) => {
        doc.font(bold ? BOLD : FONT).fontSize(size);
        return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 2 * pad }))) + 2 * pad;
      };
      const draw = (cells: readonly string[], bold: boolean, height: number, shade?: string) => {
        const y = doc.y;
        if (shade) doc.rect(MARGIN, y, width(), height).fill(shade).fillColor('black');
        let x = MARGIN;
        doc.font(bold ? BOLD : FONT).fontSize(size);
        cells.forEach((c, i) => {
          doc.text(c, x + pad, y + pad, { width: widths[i] - 2 * pad, align: columns[i].align ?? 'left' });
          x += widths[i];
        });
        doc
          .moveTo(MARGIN, y + height)
          .lineTo(MARGIN + width(), y + height)
          .strokeColor('#dddddd')
          .stroke();
        doc.x = MARGIN;
        doc.y = y + height;
      };
      const headers = columns.map((c) => c.header);
      const header = () => draw(headers, true, measure(headers, true), '#eeeeee');
      fitsOrBreak(measure(headers, true) * 2);
      header();
      return {
        row: (cells, rowOpts = {}) => {
          const bold = rowOpts.bold ?? false;
          const height = measure(cells, bold);
          // A row that does not fit goes to a new page, under the header again.
          if (fitsOrBreak(height)) header();
          draw(cells, bold, height);
        },
      };
    },
    gap: (lines = 1) => void doc.moveDown(lines),
    end: async () => {
      doc.end();
      await finished(out);
    },
  };
}
