import { quotaSlotSchema } from '../../core/tenancy/quota';
import { tenantFileSchema } from './tenant-file.model';
import { accountClaimSchema } from './account-claim.model';
import { apiKeyUseSchema } from './apikey.model';
import { apiUsageChainSchema, apiUsageCountedSchema, apiUsageDailySchema } from './api-usage.model';
import { auditSchema } from './audit.model';
import { librarySchema } from './library.model';
import { passwordResetSchema } from './password-reset.model';
import { securityPolicySchema } from './security-policy.model';
import { totpSchema } from './totp.model';
import { trustedDocumentSchema } from './trusted-document.model';
import { userSchema } from './user.model';

/** Collections the tenant subgraph keeps in every tenant database (what /internal/provision and createTenant create). */
export const tenantSubgraphSchemas = {
  Library: librarySchema,
  User: userSchema,
  TenantQuota: quotaSlotSchema('tenant_quotas'),
  ApiKeyUse: apiKeyUseSchema,
  ApiUsageDaily: apiUsageDailySchema,
  ApiUsageCounted: apiUsageCountedSchema,
  ApiUsageChain: apiUsageChainSchema,
  TrustedDocument: trustedDocumentSchema,
  AuditEntry: auditSchema,
  UserTotp: totpSchema,
  PasswordReset: passwordResetSchema,
  AccountClaim: accountClaimSchema,
  SecurityPolicy: securityPolicySchema,
  TenantFile: tenantFileSchema,
};
