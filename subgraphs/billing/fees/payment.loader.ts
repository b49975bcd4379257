import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { BillingContext } from '../context';
import { tryParseId } from '../../../core/ids';
import { newestPerKey } from '../../../core/newest-per-key';
import { libraryScopeFilter } from '../../../core/scope/library-scope';
import { byIdLoader } from '../../../core/store/by-id-loader';
import { paymentModel, type PaymentDoc } from './payment.model';
import { toPayment } from './payment.service';

type PaymentView = ReturnType<typeof toPayment>;

/** Per-request batch of payment lookups in the caller's tenant database; another branch's payment is null. */
export const paymentLoader = (ctx: BillingContext) =>
  byIdLoader<PaymentDoc, PaymentView>(ctx, 'billing.paymentById', {
    model: async () => paymentModel(await ctx.tenantDb()),
    filter: () => libraryScopeFilter(ctx, 'libraryId', tryParseId),
    view: toPayment,
  });

/**
 * The newest `last` payments of each student in a batch: one bounded query for the
 * whole batch (core/newest-per-key.ts), not every payment the students ever made.
 * One loader per `last`, since it shapes every result of the batch.
 */
export const studentPaymentsLoader = (ctx: BillingContext, last: number) =>
  ctx.memo(
    `billing.paymentsByStudent:${last}`,
    () =>
      new DataLoader<string, PaymentView[]>(async (ids) => {
        const oids = [...new Set(ids)].map(tryParseId).filter((x) => x !== null);
        const Payment = paymentModel(await ctx.tenantDb());
        const scope = libraryScopeFilter(ctx, 'libraryId', tryParseId);
        const byStudent = await newestPerKey<PaymentDoc>(
          oids,
          last,
          'studentId',
          (keys) => trusted({ $in: keys }),
          (filter, limit) =>
            Payment.find({ ...filter, ...scope })
              .sort({ paidAt: -1, _id: -1 })
              .limit(limit)
              .batchSize(limit)
              .lean<PaymentDoc[]>(),
          (d) => d.studentId.toHexString(),
        );
        return ids.map((id) => (byStudent.get(tryParseId(id)?.toHexString() ?? '') ?? []).map(toPayment));
      }),
  );
