import { registerEnumType } from 'type-graphql';

/** Which document of a payment: the GST tax invoice, or the receipt of the money. */
export enum PaymentDocumentKind {
  INVOICE = 'INVOICE',
  RECEIPT = 'RECEIPT',
}
registerEnumType(PaymentDocumentKind, { name: 'PaymentDocumentKind' });
