import type { MessagingDeps } from './context';
import { trusted } from 'mongoose';
import { tenantById } from '../../core/tenancy/tenant-db';
import { messageIndexModel, type MessageIndexDoc } from './message-index.model';
import { messageModel } from './message.model';
import { MessageStatus } from './message.type';

export interface DeliveryReport {
  providerMessageId: string;
  status: MessageStatus.DELIVERED | MessageStatus.READ | MessageStatus.FAILED;
}

/**
 * Statuses a report may move a message from: SENT < DELIVERED < READ, FAILED
 * only from SENT and final. A conditional update applies this atomically, so
 * repeated or out-of-order reports never move a status backwards.
 */
const FROM: Record<DeliveryReport['status'], MessageStatus[]> = {
  [MessageStatus.DELIVERED]: [MessageStatus.SENT],
  [MessageStatus.READ]: [MessageStatus.SENT, MessageStatus.DELIVERED],
  [MessageStatus.FAILED]: [MessageStatus.SENT],
};

/** Applies reports of one provider; unknown ids are ignored. Returns how many messages changed. */
export async function applyDeliveryReports(deps: MessagingDeps, provider: string, reports: DeliveryReport[]): Promise<number> {
  if (reports.length === 0) return 0;
  const ids = [...new Set(reports.map((r) => r.providerMessageId))];
  const entries = await messageIndexModel(deps.db.platform())
    .find({ providerMessageId: trusted({ $in: ids }), provider })
    .lean<MessageIndexDoc[]>();
  const byId = new Map(entries.map((e) => [e.providerMessageId, e]));
  let changed = 0;
  // In the order given: a batch holding DELIVERED then READ ends at READ.
  for (const report of reports) {
    const entry = byId.get(report.providerMessageId);
    if (!entry) continue;
    const found = await tenantById(deps.db, entry.tenantId);
    if (!found) continue;
    const res = await messageModel(found.conn).updateOne(
      { _id: entry.messageId, status: trusted({ $in: FROM[report.status] }) },
      { $set: { status: report.status, statusAt: new Date() } },
    );
    changed += res.modifiedCount;
  }
  return changed;
}
