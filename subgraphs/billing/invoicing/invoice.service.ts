import type { Connection } from 'mongoose';
import { financialYear } from '../../../core/tenant-time';
import { counterModel, type CounterDoc } from './counter.model';
import { paymentModel } from '../fees/payment.model';
import { isDuplicateKey } from '../../../core/store/duplicate-key';

export interface InvoiceNumber {
  counterId: string;
  seq: number;
  number: string;
}

/**
 * Takes the next invoice number of the tenant's financial year with one upserting
 * `$inc` (never read-then-write). Two first-ever upserts can race and one fail on
 * the unique `_id`; by then the document exists, so one retry succeeds.
 */
export async function takeInvoiceNumber(conn: Connection, at: Date, series = 'INV'): Promise<InvoiceNumber> {
  const fy = financialYear(at);
  // The tenants' series keeps its historical counter id; other series (the platform's 'SAAS') their own.
  const counterId = series === 'INV' ? `invoice:${fy}` : `invoice:${series}:${fy}`;
  const Counters = counterModel(conn);
  const take = () => Counters.findOneAndUpdate({ _id: counterId }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<CounterDoc>();
  let doc: CounterDoc | null;
  try {
    doc = await take();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    doc = await take();
  }
  const seq = doc!.seq;
  return { counterId, seq, number: `${series}/${fy}/${String(seq).padStart(6, '0')}` };
}

/**
 * The unique index on invoice.number is the final guard against a number issued
 * twice: MongoDB's `$inc` is atomic, but FerretDB 1.x applies concurrent updates
 * read-modify-write and can hand one number out twice. The loser sees it here
 * and takes the next number.
 */
export async function invoiceNumberUsed(conn: Connection, number: string): Promise<boolean> {
  return (await paymentModel(conn).exists({ 'invoice.number': number })) !== null;
}

/**
 * Gives a number back after its payment was definitely not written (duplicate
 * key), so the sequence keeps no gap. Only while it is still the latest number
 * taken: if another payment took a later one meanwhile, the gap stays rather than
 * risk a duplicate (which the unique index would refuse anyway).
 */
export async function releaseInvoiceNumber(conn: Connection, taken: InvoiceNumber): Promise<void> {
  await counterModel(conn).updateOne({ _id: taken.counterId, seq: taken.seq }, { $inc: { seq: -1 } });
}
