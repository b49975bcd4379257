import { useDocumentRoutes } from '../../../core/documents/routes';
import type { BillingServices } from '../context';
import { BILLING_DOCUMENTS } from './document.service';
import { paymentPdf } from './payment-pdf.service';
import { paymentRegister } from './payment-register.service';
import { duesRegister } from './dues-register.service';

/** GET /documents/:token of billing: its renderers by kind (links issued by document.resolver.ts). */
export const billingDocumentRoutes = useDocumentRoutes<BillingServices>({
  renderers: {
    [BILLING_DOCUMENTS.payment]: paymentPdf,
    [BILLING_DOCUMENTS.paymentRegister]: paymentRegister,
    [BILLING_DOCUMENTS.duesRegister]: duesRegister,
  },
});
