import { execFile } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

/** Downloads of generated documents (core/documents): through the gateway's GET /documents/:token, read back. */

export interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- error bodies are untyped JSON; the test reads the fields it asserts
  json?: any;
}

/** GET a document link's url (a path on the gateway's origin). */
export async function download(gatewayUrl: string, url: string): Promise<Download> {
  const res = await fetch(new URL(url, gatewayUrl));
  const body = Buffer.from(await res.arrayBuffer());
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(body.toString('utf8')) : undefined;
  return { status: res.status, headers: res.headers, body, json };
}

const PDF_TEXT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const parser = new PDFParse({ data: Buffer.concat(chunks) });
  const r = await parser.getText();
  process.stdout.write(JSON.stringify({ text: r.text, pages: r.total }));
  await parser.destroy();
});`;

/**
 * The text of a PDF and its page count (pdf-parse v2). In a child process: pdf.js loads its
 * worker with a dynamic import(), which jest's VM refuses without --experimental-vm-modules.
 */
export function pdfRead(pdf: Buffer): Promise<{ text: string; pages: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', PDF_TEXT], { cwd: join(__dirname, '..', '..'), maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout) as { text: string; pages: number }),
    );
    child.stdin!.end(pdf);
  });
}

export const pdfText = async (pdf: Buffer) => (await pdfRead(pdf)).text;

/** Every sheet of an XLSX as rows of cell values (header row first). */
export async function xlsxRows(file: Buffer): Promise<Record<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  wb.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    out[ws.name] = rows;
  });
  return out;
}
