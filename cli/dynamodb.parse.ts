import { readFile } from 'node:fs/promises';
import { CliError } from './io';

/**
 * Reads a DynamoDB export of the migration plan's student items: an array, a
 * Scan result (`{"Items": [...]}`) or one item per line (AWS "export to S3"
 * lines are `{"Item": {...}}`), in DynamoDB JSON (`{"S": "x"}`) or plain JSON.
 */
export async function readDynamoExport(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new CliError(`Cannot read ${file}: ${err.message}`);
  });
  const trimmed = text.trim();
  let raw: unknown[];
  if (trimmed.startsWith('[')) {
    raw = parseJson(trimmed, file) as unknown[];
  } else if (trimmed.startsWith('{') && !trimmed.includes('\n')) {
    const one = parseJson(trimmed, file) as { Items?: unknown[] };
    raw = Array.isArray(one.Items) ? one.Items : [one];
  } else {
    raw = trimmed
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .map((l, i) => parseJson(l, `${file} line ${i + 1}`));
    if (raw.length === 1 && Array.isArray((raw[0] as { Items?: unknown[] }).Items)) raw = (raw[0] as { Items: unknown[] }).Items;
  }
  return raw.map((item) => {
    const inner = item && typeof item === 'object' && 'Item' in item ? (item as { Item: unknown }).Item : item;
    return isTyped(inner) ? unmarshallItem(inner as Record<string, unknown>) : (inner as Record<string, unknown>);
  });
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${where} is not valid JSON (${(err as Error).message})`);
  }
}

const TYPES = new Set(['S', 'N', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'B', 'BS']);

const isDescriptor = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && TYPES.has(Object.keys(v)[0]);

/** DynamoDB JSON when every attribute is a type descriptor. */
function isTyped(item: unknown): boolean {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return false;
  const values = Object.values(item);
  return values.length > 0 && values.every(isDescriptor);
}

function unmarshallItem(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, unmarshall(v)]));
}

export function unmarshall(v: unknown): unknown {
  const [type, value] = Object.entries(v as Record<string, unknown>)[0];
  switch (type) {
    case 'S':
      return value as string;
    case 'N':
      return Number(value);
    case 'BOOL':
      return Boolean(value);
    case 'NULL':
      return null;
    case 'M':
      return unmarshallItem(value as Record<string, unknown>);
    case 'L':
      return (value as unknown[]).map(unmarshall);
    case 'SS':
      return [...(value as string[])];
    case 'NS':
      return (value as string[]).map(Number);
    default:
      return undefined; // binary attributes carry nothing a student needs
  }
}
