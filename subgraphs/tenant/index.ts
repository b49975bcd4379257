import { noProvisionState } from '../../core/tenancy/provision';
import { loadServiceEnv, type ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { tenantRegistrySchema } from '../../core/tenancy/registry';
import { apiKeySchema } from './apikey.model';
import { ApiKeyResolver } from './apikey.resolver';
import { ApiUsageResolver } from './api-usage.resolver';
import { tenantApiUsageChainSchema, tenantApiUsageDailySchema } from './api-usage.model';
import { TrustedDocumentResolver } from './trusted-document.resolver';
import { startAuditListener } from './audit.events';
import { platformAuditSchema } from './audit.model';
import type { TenantDeps, TenantServices } from './context';
import { createLoginGuard } from '../../core/security/login-guard';
import { startPlanConsumer } from './plan.events';
import { startApiUsageRetention } from './api-usage-retention.job';
import { startBillingStatusConsumer } from './billing.events';
import { startDunningMailConsumer } from './dunning.events';
import { AuditResolver } from './audit.resolver';
import { AuthResolver } from './auth.resolver';
import { AccountResolver, ViewerSecurityResolver } from './account.resolver';
import { LeadResolver } from './crm/lead.resolver';
import { LeadTaskResolver } from './crm/lead-task.resolver';
import { LeadReportResolver } from './crm/lead-report.resolver';
import { LeadConversionResolver } from './crm/lead-conversion.resolver';
import { leadConversionSchema } from './crm/lead-conversion.model';
import { leadTaskClaimSchema, leadTaskReminderSchema, leadTaskSchema } from './crm/lead-task.model';
import { startApiKeyExpiryNotices } from './apikey-expiry.job';
import { startLeadReminders } from './crm/lead-reminder.job';
import { PlatformTotalsResolver } from './platform-totals/platform-totals.resolver';
import { tenantSnapshotSchema } from './platform-totals/tenant-snapshot.model';
import { startTenantSnapshots } from './platform-totals/tenant-snapshot.job';
import { leadNoteSchema, leadSchema, leadStageClaimSchema } from './crm/lead.model';
import { accountClaimSchema } from './account-claim.model';
import { createAccounts, type AccountsOptions } from './account-limits.service';
import { passwordResetSchema } from './password-reset.model';
import { SecurityPolicyResolver } from './security-policy.resolver';
import { totpSchema } from './totp.model';
import { BrandingResolver } from './branding.resolver';
import { LibraryResolver, resolveLibraryReference } from './library.resolver';
import { refreshTokenSchema } from './refresh-token.model';
import { tenantEnv } from './tenant.env';
import { filesSweepIntervalMs, storageConfig, type StorageConfig } from '../../core/storage/config';
import { useFileSweep } from '../../core/storage/sweep';
import { TENANT_FILES } from './tenant-file.model';
import { useObjectStore } from '../../core/storage/object-store';
import { LibraryFileResolver, TenantFileResolver } from './tenant-file.resolver';
import { TenantResolver } from './tenant.resolver';
import { resolveTenantReference } from './tenant.service';
import { tenantSubgraphSchemas } from './tenant-db.model';
import { platformUserSchema } from './user.model';
import { UserResolver, ViewerResolver } from './user.resolver';
import { tenantSubgraphModules, tenantSubgraphRules } from './rules';
import { DOMAIN_CONSUMERS } from '../events';

export const name = 'tenant' as const;

/** Collections the tenant subgraph keeps in every tenant database (createTenant provisions them too). */
/** New tenants start with nothing but their collections here. */
export const onProvision = noProvisionState;

export const tenantSchemas = tenantSubgraphSchemas;

/** Platform-level: the tenant registry, platform users and their sessions, API keys, the platform audit log. */
export const platformSchemas = {
  TenantRegistry: tenantRegistrySchema,
  PlatformUser: platformUserSchema,
  RefreshToken: refreshTokenSchema,
  ApiKey: apiKeySchema,
  PlatformAudit: platformAuditSchema,
  // Platform users' second factor, reset codes and single-use claims.
  UserTotp: totpSchema,
  PasswordReset: passwordResetSchema,
  AccountClaim: accountClaimSchema,
  // Partner API usage per tenant and day (api-usage.service.ts).
  TenantApiUsageDaily: tenantApiUsageDailySchema,
  TenantApiUsageChain: tenantApiUsageChainSchema,
  // The platform's sales desk (crm/).
  Lead: leadSchema,
  LeadNote: leadNoteSchema,
  LeadStageClaim: leadStageClaimSchema,
  LeadTask: leadTaskSchema,
  LeadTaskClaim: leadTaskClaimSchema,
  LeadConversion: leadConversionSchema,
  LeadTaskReminder: leadTaskReminderSchema,
  // Per-tenant figures of other subgraphs for platformTotals (platform-totals/).
  TenantSnapshot: tenantSnapshotSchema,
};

/** Variables this subgraph reads besides loadConfig's (docker-compose.yml passes them: tests/compose.test.ts). */
export const ENV_VARS: readonly string[] = Object.keys(tenantEnv);

/** The domain events it emits (with their payloads) and the consumers it runs (./events.ts). */
export { tenantEvents as events } from './events';

/** Subscription fields the gateway serves for this subgraph (./subscriptions.ts). */
export { tenantSubscriptions as subscriptions } from './subscriptions';

export const definition: SubgraphDefinition = {
  rules: tenantSubgraphRules,
  modules: tenantSubgraphModules,
  resolvers: [
    TenantResolver,
    LibraryResolver,
    UserResolver,
    ViewerResolver,
    AuthResolver,
    ApiKeyResolver,
    ApiUsageResolver,
    BrandingResolver,
    AuditResolver,
    AccountResolver,
    LeadResolver,
    LeadTaskResolver,
    LeadReportResolver,
    LeadConversionResolver,
    PlatformTotalsResolver,
    ViewerSecurityResolver,
    SecurityPolicyResolver,
    TrustedDocumentResolver,
    LibraryFileResolver,
    TenantFileResolver,
  ],
  references: { Tenant: resolveTenantReference, Library: resolveLibraryReference },
};

/** The rules its shield is built from (./rules.ts). */
export const rules = definition.rules;

/** Background work of the tenant service: audit entries; billing's plan changes, status moves and dunning e-mails (durable consumers); retention, CRM reminders and the platform totals rollup (timers). */
async function startListeners(deps: TenantDeps): Promise<() => Promise<void>> {
  const off = await startAuditListener(deps);
  const stops = [
    startPlanConsumer(deps),
    startBillingStatusConsumer(deps),
    startDunningMailConsumer(deps),
    startApiUsageRetention(deps),
    startLeadReminders(deps),
    startTenantSnapshots(deps),
    startApiKeyExpiryNotices(deps),
  ];
  return async () => {
    off();
    await Promise.all(stops.map((stop) => stop()));
  };
}

export interface TenantServerOptions extends SubgraphRuntime {
  /** Base domain of `<slug>.<domain>` tenant hosts (tenantBranding); default PLATFORM_DOMAIN or studyspot.app. */
  platformDomain?: string;
  /** Password reset and TOTP settings (account-limits.service.ts). */
  accounts?: AccountsOptions;
  /** Object storage; default from S3_* (core/storage/config.ts), null = off (uploads answer STORAGE_NOT_CONFIGURED). */
  storage?: StorageConfig | null;
}

export function createServer(config: ServiceConfig, db?: DbManager, opts: TenantServerOptions = {}) {
  const loginGuard = createLoginGuard(config);
  const accounts = createAccounts(config, opts.accounts);
  const settings = opts.storage === undefined ? storageConfig() : opts.storage;
  const storage = settings ? useObjectStore(settings) : null;
  const services: TenantServices = {
    platformDomain: (opts.platformDomain ?? loadServiceEnv(tenantEnv).PLATFORM_DOMAIN).toLowerCase(),
    loginGuard,
    accounts,
    storage,
  };
  return startSubgraphServer<TenantServices>({
    name,
    consumers: DOMAIN_CONSUMERS,
    config,
    db,
    pubsub: opts.pubsub,
    services,
    definition,
    onStart: async (deps) => {
      const stop = await startListeners(deps);
      const stopSweep = storage ? useFileSweep(deps, storage, TENANT_FILES, filesSweepIntervalMs()) : async () => undefined;
      return async () => {
        await stop();
        await stopSweep();
        await loginGuard.close();
        await accounts.close();
        storage?.close();
      };
    },
    tenantSchemas,
    onProvision,
    platformSchemas,
  });
}
