import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { ApiKey, ApiKeyUse, CreatedApiKey, PartnerSession } from './apikey.type';

/** Who may reach apikey's fields (docs/permissions.md); `*` is every field without its own entry. */
export const apikeyRules: RuleTable = {
  Query: { apiKeys: 'apikeys:manage', apiKeyUsage: 'apikeys:usage' },
  // exchangeApiKey is internal (@inaccessible): the gateway trades a partner's key for a short-lived token; the key is the credential.
  Mutation: {
    createApiKey: 'apikeys:manage',
    rotateApiKey: 'apikeys:manage',
    revokeApiKey: 'apikeys:manage',
    setApiKeyTrustedDocumentsOnly: 'apikeys:manage',
    exchangeApiKey: 'public',
  },
  ApiKey: typeRules<ApiKey>({ '*': 'apikeys:manage' }),
  ApiKeyUse: typeRules<ApiKeyUse>({ '*': 'apikeys:usage' }),
  CreatedApiKey: typeRules<CreatedApiKey>({ '*': 'apikeys:manage' }),
  PartnerSession: typeRules<PartnerSession>({ '*': 'public' }),
};
