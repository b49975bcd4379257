import { parse } from 'csv-parse/sync';
import { badInput } from '../../core/errors';

export const MAX_IMPORT_BYTES = 512 * 1024;
export const MAX_IMPORT_ROWS = 1000;

/** Header names are matched loosely: "Parent Phone", "parent_phone", "parentPhone". */
const COLUMNS: Record<string, string> = {
  name: 'name',
  phone: 'phone',
  parentphone: 'parentPhone',
  email: 'email',
  libraryid: 'libraryId',
  library: 'library',
  libraryname: 'library',
  idprooftype: 'idProofType',
  idproofnumber: 'idProofNumber',
  referralcode: 'referralCode',
};

export interface CsvRow {
  row: number;
  line: number;
  values: Record<string, string>;
}

/** Parses the whole file up front: a malformed CSV is refused before any row is written. */
export function parseStudentCsv(csv: string): CsvRow[] {
  if (Buffer.byteLength(csv) > MAX_IMPORT_BYTES) throw badInput('csv', `must be at most ${MAX_IMPORT_BYTES / 1024} KB`);
  let records: { record: string[]; info: { lines: number } }[];
  let header: string[] = [];
  try {
    const all = parse(csv, { bom: true, trim: true, skip_empty_lines: true, info: true, relax_column_count: false }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    header = (all[0]?.record ?? []).map((h) => COLUMNS[h.toLowerCase().replace(/[^a-z]/g, '')] ?? '');
    records = all.slice(1);
  } catch (err) {
    throw badInput('csv', `is not valid CSV (${(err as Error).message.slice(0, 200)})`);
  }
  if (!header.includes('name') || !header.includes('phone')) throw badInput('csv', 'the header must have name and phone columns');
  if (!header.includes('libraryId') && !header.includes('library')) throw badInput('csv', 'the header must have a libraryId or library column');
  if (records.length > MAX_IMPORT_ROWS) throw badInput('csv', `at most ${MAX_IMPORT_ROWS} rows`);
  return records.map(({ record, info }, i) => {
    const values: Record<string, string> = {};
    header.forEach((col, j) => {
      if (col && record[j] !== '') values[col] = record[j];
    });
    return { row: i + 1, line: info.lines, values };
  });
}
