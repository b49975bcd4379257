import { Types } from 'mongoose';
import { badInput } from './errors';

/** Parses a client-supplied id; malformed ids are BAD_USER_INPUT naming the field. */
export function parseId(value: string, field: string): Types.ObjectId {
  if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value)) throw badInput(field, 'must be a valid id');
  return new Types.ObjectId(value);
}

/** For entity references: a malformed id simply resolves to nothing. */
export function tryParseId(value: unknown): Types.ObjectId | null {
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value) ? new Types.ObjectId(value) : null;
}

export function encodeCursor(id: Types.ObjectId): string {
  return Buffer.from(id.toHexString()).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): Types.ObjectId {
  const hex = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f]{24}$/.test(hex)) throw badInput(field, 'is not a valid cursor');
  return new Types.ObjectId(hex);
}
