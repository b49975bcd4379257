import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { counterSchema } from './counter.model';
import { resolveLibraryReference } from './library.resolver';
import { Library } from './library.type';
import { paymentSchema } from './payment.model';
import { PaymentResolver, resolvePaymentReference } from './payment.resolver';
import { RevenueResolver } from './revenue.resolver';
import { resolveStudentReference, StudentPaymentsResolver } from './student.resolver';
import { Student } from './student.type';

/** Collections the billing subgraph keeps in every tenant database. */
export const billingSubgraphSchemas = { Payment: paymentSchema, BillingCounter: counterSchema };

export const definition: SubgraphDefinition = {
  resolvers: [PaymentResolver, StudentPaymentsResolver, RevenueResolver],
  orphanedTypes: [Student, Library],
  references: { Payment: resolvePaymentReference, Student: resolveStudentReference, Library: resolveLibraryReference },
};

export function createServer(config: ServiceConfig, db?: DbManager, opts: SubgraphRuntime = {}) {
  return startSubgraphServer({ name: 'billing', config, db, pubsub: opts.pubsub, definition, tenantSchemas: billingSubgraphSchemas });
}
