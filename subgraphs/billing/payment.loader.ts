import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { oneBatch, WHOLE_RESULT } from '../../core/db-batch';
import { tryParseId } from '../../core/ids';
import { paymentModel, toPayment, type PaymentDoc } from './payment.model';

type PaymentView = ReturnType<typeof toPayment>;

/** Per-request batch of payment lookups in the caller's tenant database. */
export const paymentLoader = (ctx: RequestContext) =>
  ctx.memo('billing.paymentById', () =>
    new DataLoader<string, PaymentView | null>(async (ids) => {
      const oids = ids.map(tryParseId).filter((x) => x !== null);
      const Payment = paymentModel(await ctx.tenantDb());
      const docs = oids.length ? await Payment.find({ _id: trusted({ $in: oids }) }).batchSize(oneBatch(oids.length)).lean<PaymentDoc[]>() : [];
      const byId = new Map(docs.map((d) => [d._id.toHexString(), toPayment(d)]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
  );

/**
 * The newest `last` payments of each student in a batch: ONE query for the whole
 * batch (sorted along the studentId+paidAt index), then sliced per student.
 * One loader per `last`, since it shapes every result of the batch.
 */
export const studentPaymentsLoader = (ctx: RequestContext, last: number) =>
  ctx.memo(`billing.paymentsByStudent:${last}`, () =>
    new DataLoader<string, PaymentView[]>(async (ids) => {
      const oids = ids.map(tryParseId).filter((x) => x !== null);
      const Payment = paymentModel(await ctx.tenantDb());
      const docs = oids.length
        ? await Payment.find({ studentId: trusted({ $in: oids }) })
          .sort({ studentId: 1, paidAt: -1, _id: -1 })
          .batchSize(WHOLE_RESULT)
          .lean<PaymentDoc[]>()
        : [];
      const byStudent = new Map<string, PaymentView[]>();
      for (const d of docs) {
        const key = d.studentId.toHexString();
        const list = byStudent.get(key) ?? [];
        if (list.length < last) list.push(toPayment(d));
        byStudent.set(key, list);
      }
      return ids.map((id) => byStudent.get(id.toLowerCase()) ?? []);
    }),
  );
