import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { DocumentLink } from '../../../core/documents/link.type';
import type { BillingContext } from '../context';
import { PaymentDocumentArgs, RegisterDocumentArgs } from './document.input';
import { BILLING_DOCUMENTS, issuePaymentDocument, issueRegisterDocument } from './document.service';

@Resolver()
export class DocumentResolver {
  @Query(() => DocumentLink, { description: 'A download link (5 minutes) of a payment’s PDF tax invoice or receipt.' })
  paymentDocument(@Args(() => PaymentDocumentArgs) args: PaymentDocumentArgs, @Ctx() ctx: BillingContext) {
    return issuePaymentDocument(ctx, args);
  }

  @Query(() => DocumentLink, { description: 'A download link (5 minutes) of the month’s payment register: every payment, totals by method. PDF or XLSX.' })
  paymentRegisterDocument(@Args(() => RegisterDocumentArgs) args: RegisterDocumentArgs, @Ctx() ctx: BillingContext) {
    return issueRegisterDocument(ctx, BILLING_DOCUMENTS.paymentRegister, args);
  }

  @Query(() => DocumentLink, {
    description:
      'A download link (5 minutes) of the month’s dues register from the dues ledger: opening and closing dues, charges, payments, credits, refunds per student. PDF or XLSX.',
  })
  duesRegisterDocument(@Args(() => RegisterDocumentArgs) args: RegisterDocumentArgs, @Ctx() ctx: BillingContext) {
    return issueRegisterDocument(ctx, BILLING_DOCUMENTS.duesRegister, args);
  }
}
