import { randomInt } from 'node:crypto';
import type { Connection, Types } from 'mongoose';
import type { StudentContext } from './context';
import { badInput, conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { referralCodeModel, referralModel, referralRewardModel, ReferralStatus, type ReferralCodeDoc, type ReferralDoc } from './referral.model';
import { studentModel, type StudentDoc } from './student.model';
import { isDuplicateKey } from '../../core/store/duplicate-key';

/** No 0/O, 1/I/L: codes are read out and typed at the desk. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

export const normalizeCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');
const newCode = () => Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** The student's code, created on first ask; a concurrent ask loses the insert race and reads the winner's. */
export async function referralCode(ctx: StudentContext, studentId: string): Promise<string> {
  const _id = parseId(studentId, 'studentId');
  const conn = await ctx.tenantDb();
  if (!(await studentModel(conn).exists({ _id }))) throw notFound('Student');
  const Codes = referralCodeModel(conn);
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await Codes.findOne({ studentId: _id }).lean<ReferralCodeDoc>();
    if (existing) return existing.code;
    try {
      return (await Codes.create({ studentId: _id, code: newCode() })).code;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // studentId taken: read it next round; code taken: draw again
    }
  }
  throw conflict('Could not issue a referral code, try again', 'studentId');
}

/** Checks a code given at enrolment BEFORE anything is written: unknown or own code is BAD_USER_INPUT. */
export async function findReferrer(conn: Connection, code: string, refereePhone: string) {
  const doc = await referralCodeModel(conn)
    .findOne({ code: normalizeCode(code) })
    .lean<ReferralCodeDoc>();
  if (!doc) throw badInput('input.referralCode', 'is not a valid referral code');
  const referrer = await studentModel(conn).findById(doc.studentId, { phone: 1 }).lean<StudentDoc>();
  if (!referrer) throw badInput('input.referralCode', 'is not a valid referral code');
  // The new student has no id yet: the same phone number is the same person.
  if (referrer.phone === refereePhone) throw badInput('input.referralCode', 'a student cannot refer themselves');
  return { referrerId: doc.studentId, code: doc.code };
}

/** PENDING until the referee's first payment; the unique refereeId keeps it to one referral per student. */
export async function recordReferral(conn: Connection, referrer: { referrerId: Types.ObjectId; code: string }, refereeId: Types.ObjectId) {
  try {
    await referralModel(conn).create({ ...referrer, refereeId, status: ReferralStatus.PENDING });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('The student was already referred', 'input.referralCode');
    throw err;
  }
}

export async function listReferrals(ctx: StudentContext, studentId: string | undefined, first: number) {
  const query: Record<string, unknown> = {};
  if (studentId) query.referrerId = parseId(studentId, 'studentId');
  const docs = await referralModel(await ctx.tenantDb())
    .find(query)
    .sort({ _id: -1 })
    .limit(first)
    .lean<ReferralDoc[]>();
  return docs.map(toReferral);
}

/** Counts plus the rewards' sum (a single-accumulator $group, see attendance-stats.service.ts). */
export async function referralStats(ctx: StudentContext) {
  const conn = await ctx.tenantDb();
  const [codesIssued, referrals, conversions, rewards, sum] = await Promise.all([
    referralCodeModel(conn).countDocuments({}),
    referralModel(conn).countDocuments({}),
    referralModel(conn).countDocuments({ status: ReferralStatus.CONVERTED }),
    referralRewardModel(conn).countDocuments({}),
    referralRewardModel(conn).aggregate<{ n: number }>([{ $group: { _id: null, n: { $sum: '$amount' } } }]),
  ]);
  return { codesIssued, referrals, conversions, rewards, rewardsTotal: sum[0]?.n ?? 0 };
}

export const toReferral = (d: ReferralDoc) => ({
  id: d._id.toHexString(),
  referrerId: d.referrerId.toHexString(),
  refereeId: d.refereeId.toHexString(),
  code: d.code,
  status: d.status,
  createdAt: d.createdAt,
  convertedAt: d.convertedAt ?? null,
  reward: d.reward ? { type: d.reward.type, amount: d.reward.amount } : null,
});
