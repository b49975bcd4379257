import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { DebitResolver } from './debit.resolver';
import { ledgerSchema } from './ledger.model';
import { LedgerResolver } from './ledger.resolver';
import { creditRatesSchema } from './rates.model';
import { resolveTenantReference, TenantWalletResolver } from './tenant.resolver';
import { Tenant } from './tenant.type';
import { walletSchema } from './wallet.model';
import { WalletResolver } from './wallet.resolver';

/** Collections the credits subgraph keeps in every tenant database (by model name). */
export const creditsTenantSchemas = { CreditWallet: walletSchema, CreditLedgerEntry: ledgerSchema };

export const definition: SubgraphDefinition = {
  resolvers: [WalletResolver, LedgerResolver, DebitResolver, TenantWalletResolver],
  orphanedTypes: [Tenant],
  references: { Tenant: resolveTenantReference },
};

export function createServer(config: ServiceConfig, db?: DbManager, opts: SubgraphRuntime = {}) {
  return startSubgraphServer({
    name: 'credits',
    config,
    db,
    pubsub: opts.pubsub,
    definition,
    tenantSchemas: creditsTenantSchemas,
    platformSchemas: { CreditRates: creditRatesSchema },
  });
}
