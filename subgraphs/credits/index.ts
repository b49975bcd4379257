import { noProvisionState } from '../../core/tenancy/provision';
import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import type { CreditsServices } from './context';
import { DebitResolver } from './debit.resolver';
import { ledgerSchema, masterLedgerSchema } from './ledger.model';
import { LedgerResolver } from './ledger.resolver';
import { MasterWalletResolver, VendorPurchaseResolver } from './master.resolver';
import { creditPackageSchema } from './package.model';
import { CreditPackageResolver } from './package.resolver';
import { creditRatesSchema, tenantRatesSchema } from './rates.model';
import { TenantRateResolver } from './rates.resolver';
import { CreditReportResolver } from './report.resolver';
import { creditsRoutes } from './routes';
import { CreditStatementResolver } from './statement.resolver';
import { usageCheckpointSchema, usageRollupSchema } from './usage-rollup.model';
import { usageFactSchema } from './usage-fact.model';
import { resolveTenantReference, TenantWalletResolver } from './tenant.resolver';
import { Tenant } from './tenant.type';
import { vendorSchema } from './vendor.model';
import { VendorResolver } from './vendor.resolver';
import { masterWalletSchema, walletSchema } from './wallet.model';
import { WalletBalanceResolver } from './wallet-balance.resolver';
import { WalletResolver } from './wallet.resolver';
import { creditsSubgraphModules, creditsSubgraphRules } from './rules';
import { DOMAIN_CONSUMERS } from '../events';

export const name = 'credits' as const;

/** Collections the credits subgraph keeps in every tenant database (by model name). */
/** New tenants start with nothing but their collections here. */
export const onProvision = noProvisionState;

export const tenantSchemas = {
  CreditWallet: walletSchema,
  CreditLedgerEntry: ledgerSchema,
  CreditUsageRollup: usageRollupSchema,
  CreditUsageCheckpoint: usageCheckpointSchema,
  CreditUsageFact: usageFactSchema,
};

/** Platform-level: rates, vendors, the master wallet and its ledger, credit packages. */
export const platformSchemas = {
  CreditRates: creditRatesSchema,
  CreditTenantRates: tenantRatesSchema,
  CreditVendor: vendorSchema,
  CreditMasterLedgerEntry: masterLedgerSchema,
  CreditMasterWallet: masterWalletSchema,
  CreditPackage: creditPackageSchema,
};

/** Variables this subgraph reads besides loadConfig's (tests/compose.test.ts). */
export const ENV_VARS: readonly string[] = [];

/** The domain events it emits (with their payloads) and the consumers it runs (./events.ts). */
export { creditsEvents as events } from './events';

/** Subscription fields the gateway serves for this subgraph (./subscriptions.ts). */
export { creditsSubscriptions as subscriptions } from './subscriptions';

export const definition: SubgraphDefinition = {
  rules: creditsSubgraphRules,
  modules: creditsSubgraphModules,
  resolvers: [
    WalletResolver,
    WalletBalanceResolver,
    LedgerResolver,
    DebitResolver,
    TenantWalletResolver,
    MasterWalletResolver,
    VendorResolver,
    VendorPurchaseResolver,
    CreditPackageResolver,
    TenantRateResolver,
    CreditReportResolver,
    CreditStatementResolver,
  ],
  orphanedTypes: [Tenant],
  references: { Tenant: resolveTenantReference },
};

/** The rules its shield is built from (./rules.ts). */
export const rules = definition.rules;

export function createServer(config: ServiceConfig, db?: DbManager, opts: SubgraphRuntime = {}) {
  return startSubgraphServer<CreditsServices>({
    name,
    services: {},
    consumers: DOMAIN_CONSUMERS,
    config,
    db,
    pubsub: opts.pubsub,
    definition,
    tenantSchemas,
    onProvision,
    platformSchemas,
    routes: creditsRoutes,
  });
}
