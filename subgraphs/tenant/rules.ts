import type { ModuleTable } from '../../core/permissions/modules';
import { mergeRules } from '../../core/permissions/rules';
import { apikeyRules } from './apikey.rules';
import { apiUsageRules } from './api-usage.rules';
import { trustedDocumentRules } from './trusted-document.rules';
import { auditRules } from './audit.rules';
import { securityPolicyRules } from './security-policy.rules';
import { brandingRules } from './branding.rules';
import { libraryRules } from './library.rules';
import { tenantRules } from './tenant.rules';
import { userRules } from './user.rules';
import { tenantFileRules } from './tenant-file.rules';
import { authRules } from './auth.rules';
import { accountRules } from './account.rules';
import { leadRules } from './crm/lead.rules';
import { platformTotalsRules } from './platform-totals/platform-totals.rules';

/** Every rule of the tenant subgraph, one file per entity beside its type (docs/architecture.md). */
export const tenantSubgraphRules = mergeRules(
  apikeyRules,
  apiUsageRules,
  trustedDocumentRules,
  auditRules,
  securityPolicyRules,
  brandingRules,
  libraryRules,
  tenantRules,
  userRules,
  authRules,
  accountRules,
  tenantFileRules,
  leadRules,
  platformTotalsRules,
);

/** None: the tenant's own administration (tenant, me, modules, branding, users, libraries, API keys, audit) is never blocked. */
export const tenantSubgraphModules: ModuleTable = {};
