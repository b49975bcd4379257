import type { ModuleTable } from '../../core/permissions/modules';
import { mergeRules } from '../../core/permissions/rules';
import { tenantRules } from './tenant.rules';
import { walletRules } from './wallet.rules';
import { ledgerRules } from './ledger.rules';
import { masterRules } from './master.rules';
import { packageRules } from './package.rules';
import { reportRules } from './report.rules';
import { vendorRules } from './vendor.rules';
import { debitRules } from './debit.rules';
import { ratesRules } from './rates.rules';
import { statementRules } from './statement.rules';

/** Every rule of the credits subgraph, one file per entity beside its type (docs/architecture.md). */
export const creditsSubgraphRules = mergeRules(
  tenantRules,
  walletRules,
  ledgerRules,
  masterRules,
  packageRules,
  reportRules,
  vendorRules,
  debitRules,
  ratesRules,
  statementRules,
);

/** None: credits are the tenant's own administration; the internal debitCredits/refundCredits must never fail on a module (a refund follows a failed send). */
export const creditsSubgraphModules: ModuleTable = {};
