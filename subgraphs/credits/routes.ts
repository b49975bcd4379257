import type express from 'express';
import { useDocumentRoutes } from '../../core/documents/routes';
import type { CreditsDeps, CreditsServices } from './context';
import { creditStatementRenderer } from './statement-pdf.service';
import { CREDIT_STATEMENT } from './statement.service';

const documentRoutes = useDocumentRoutes<CreditsServices>({ renderers: { [CREDIT_STATEMENT]: creditStatementRenderer } });

/** Every HTTP route of the credits service besides /graphql: GET /documents/:token (the credit statement). */
export function creditsRoutes(app: express.Express, deps: CreditsDeps): void {
  documentRoutes(app, deps);
}
