import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { DocumentLink } from '../../../core/documents/link.type';
import type { BillingContext } from '../context';
import { PaymentDocumentArgs } from './document.input';
import { issuePaymentDocument } from './document.service';

@Resolver()
export class DocumentResolver {
  @Query(() => DocumentLink, { description: 'A download link (5 minutes) of a payment’s PDF tax invoice or receipt.' })
  paymentDocument(@Args(() => PaymentDocumentArgs) args: PaymentDocumentArgs, @Ctx() ctx: BillingContext) {
    return issuePaymentDocument(ctx, args);
  }
}
