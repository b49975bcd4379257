import type { Connection, Types } from 'mongoose';
import { loadConfig } from '../core/config';
import type { KeyRing } from '../core/security/secret-box';
import { sealIdProof } from '../subgraphs/student/id-proof.service';
import type { Migration } from './types';

/** Students whose ID-proof number is still plaintext (written before encryption). */
const PLAIN = { 'idProof.number': { $exists: true } };

interface PlainStudent {
  _id: Types.ObjectId;
  idProof: { type: string; number: string };
}

/**
 * Seals every plaintext ID-proof number with the ACCOUNT_KEYS ring ('pii' domain) and
 * removes the plaintext, one student at a time. Idempotent: a sealed record has no
 * `number`, so a repeated or resumed run only finds what is left.
 */
export function encryptIdProofsWith(ring: () => KeyRing): Migration {
  return {
    id: '005-encrypt-id-proofs',
    description: 'Encrypt plaintext students.idProof.number with ACCOUNT_KEYS (masked reads, audited reveal)',
    pending: (conn: Connection) => conn.db!.collection('students').countDocuments(PLAIN),
    async up(conn: Connection) {
      const students = conn.db!.collection('students');
      let changed = 0;
      for await (const d of students.find<PlainStudent>(PLAIN, { projection: { idProof: 1 } })) {
        const sealed = sealIdProof(ring(), d.idProof.type, String(d.idProof.number));
        // The filter repeats the plaintext: a number changed meanwhile is left for the next run.
        const res = await students.updateOne({ _id: d._id, 'idProof.number': d.idProof.number }, { $set: { idProof: sealed } });
        changed += res.modifiedCount;
      }
      return changed;
    },
  };
}

/** The deployment's ring, as the services read it. */
export const encryptIdProofs = encryptIdProofsWith(() => loadConfig('student').security.accountKeys);
