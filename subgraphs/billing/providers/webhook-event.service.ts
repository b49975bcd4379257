import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { webhookEventModel } from './webhook-event.model';

export async function seen(platform: Connection, id: string): Promise<boolean> {
  return (await webhookEventModel(platform).exists({ _id: id })) !== null;
}

export async function markSeen(platform: Connection, id: string): Promise<void> {
  await webhookEventModel(platform)
    .updateOne({ _id: id }, { $setOnInsert: { _id: id } }, { upsert: true })
    .catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
}
