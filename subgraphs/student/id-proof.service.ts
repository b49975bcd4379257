import { noteBefore } from '../../core/server/audit-plugin';
import { notFound } from '../../core/errors';
import { open, seal, type KeyRing } from '../../core/security/secret-box';
import type { StudentContext } from './context';
import type { IdProofDoc } from './student.model';
import { studentLoader } from './student.loader';

/**
 * ID-proof numbers at rest: AES-256-GCM with the ACCOUNT_KEYS ring under the 'pii' domain
 * (core/security/secret-box.ts: newest key seals, every key opens; a key of its own per domain).
 * Reads show only a masked tail; the full number needs students:idproof:reveal and an explicit
 * revealIdProofNumber, which the audit log records.
 */
export const MASK = 'XXXXXXXX';

/** The trailing characters a masked read shows: 4, but never more than half of a short number. */
export function tailOf(number: string): string {
  const plain = number.replace(/[^0-9A-Za-z]/g, '');
  return plain.slice(-Math.min(4, Math.floor(plain.length / 2)));
}

export function sealIdProof(ring: KeyRing, type: string, number: string): IdProofDoc {
  return { type, sealed: seal(ring, Buffer.from(number, 'utf8'), 'pii'), tail: tailOf(number) };
}

/** What every read shows: the type and `XXXXXXXX` + the tail (legacy plaintext records too). */
export function maskedIdProof(d: IdProofDoc | undefined | null) {
  if (!d) return null;
  const tail = d.tail ?? (d.number != null ? tailOf(d.number) : '');
  return { type: d.type, number: `${MASK}${tail}` };
}

export function openIdProofNumber(ring: KeyRing, d: IdProofDoc): string {
  return d.sealed ? open(ring, d.sealed, 'pii').toString('utf8') : (d.number ?? '');
}

/** The full number of a student in the caller's scope (the mutation's audit entry names the student, never the number). */
export async function revealIdProofNumber(ctx: StudentContext, studentId: string) {
  const student = await studentLoader(ctx).load(studentId);
  if (!student) throw notFound('Student');
  if (!student.idProofDoc) throw notFound('ID proof');
  noteBefore(ctx, studentId, { idProof: 'revealed' });
  return { studentId, type: student.idProofDoc.type, number: openIdProofNumber(ctx.config.security.accountKeys, student.idProofDoc) };
}
