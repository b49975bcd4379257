import { Types, type Connection } from 'mongoose';
import type { ContextDeps } from '../../core/context';
import { startConsumer } from '../../core/events/outbox';
import { tenantById } from '../../core/tenancy/tenant-db';
import { referralModel, referralRewardModel, ReferralStatus, type ReferralDoc, type ReferralRewardDoc } from './referral.model';
import { readSettings } from './settings.service';
import { isDuplicateKey } from '../../core/store/duplicate-key';

/**
 * A referee's first payment converts their referral. Every instance hears every
 * event (and an event may come twice): the reward insert, unique per referee, is
 * the claim; the referral's status is then set from the stored reward, so a
 * repeat (or a retry after a crash between the two writes) changes nothing.
 */
export async function convertReferral(conn: Connection, refereeId: Types.ObjectId, paymentId: string): Promise<boolean> {
  const referral = await referralModel(conn).findOne({ refereeId }).lean<ReferralDoc>();
  if (!referral) return false;
  const Rewards = referralRewardModel(conn);
  let reward = await Rewards.findOne({ refereeId }).lean<ReferralRewardDoc>();
  let created = false;
  if (!reward) {
    const { referralRewardType: type, referralRewardAmount: amount } = await readSettings(conn);
    try {
      reward = (await Rewards.create({ referralId: referral._id, referrerId: referral.referrerId, refereeId, paymentId, type, amount })).toObject();
      created = true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      reward = await Rewards.findOne({ refereeId }).lean<ReferralRewardDoc>();
      if (!reward) throw err;
    }
  }
  if (referral.status !== ReferralStatus.CONVERTED || created) {
    await referralModel(conn).updateOne(
      { _id: referral._id },
      {
        $set: {
          status: ReferralStatus.CONVERTED,
          convertedAt: reward.createdAt,
          paymentId: reward.paymentId,
          reward: { type: reward.type, amount: reward.amount },
        },
      },
    );
  }
  return created;
}

/** The durable consumer `student.referral` of billing's `payment.recorded`; returns the stop. */
export function startReferralConsumer(deps: ContextDeps): () => Promise<void> {
  const consumer = startConsumer(deps, 'student.referral', async ({ event: e }) => {
    const { studentId, paymentId } = e;
    if (typeof studentId !== 'string' || !Types.ObjectId.isValid(studentId) || typeof paymentId !== 'string') return;
    const found = await tenantById(deps.db, e.tenantId);
    if (!found) return;
    await convertReferral(found.conn, new Types.ObjectId(studentId), paymentId);
  });
  return () => consumer.stop();
}
