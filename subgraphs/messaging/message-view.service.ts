import type { MessageDoc } from './message.model';

/** The GraphQL shape of a stored message. */
export const toMessage = (d: MessageDoc) => ({
  id: d._id.toHexString(),
  student: { id: d.studentId.toHexString() },
  channel: d.channel,
  body: d.body,
  status: d.status,
  creditsUsed: d.creditsUsed,
  providerMessageId: d.providerId ?? null,
  failureReason: d.failureReason ?? null,
  createdAt: d.createdAt,
});
