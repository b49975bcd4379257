import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { pageSize } from '../../core/pagination';
import type { TenantContext } from './context';
import { API_KEY_USAGE_PAGE, ApiKeyUsageArgs, CreateApiKeyInput, ExchangeApiKeyArgs } from './apikey.input';
import { ApiKeyUsageFilter } from './api-usage.input';
import { listApiKeyUsage } from './api-usage.service';
import { createApiKey, exchangeApiKey, listApiKeys, revokeApiKey, rotateApiKey, setApiKeyTrustedDocumentsOnly } from './apikey.service';
import { ApiKey, ApiKeyUse, CreatedApiKey, PartnerSession } from './apikey.type';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => [ApiKey], { description: "Partner API keys of the caller's tenant." })
  apiKeys(@Ctx() ctx: TenantContext) {
    return listApiKeys(ctx);
  }

  @Query(() => [ApiKeyUse], {
    description:
      "Log of partner key use, newest first: the caller's tenant; platform staff name one with x-tenant. Page with `after` (the last entry's cursor).",
  })
  apiKeyUsage(
    @Arg('keyId', () => ID, { nullable: true }) keyId: string | undefined,
    @Args() { first, after }: ApiKeyUsageArgs,
    @Arg('filter', () => ApiKeyUsageFilter, { nullable: true }) filter: ApiKeyUsageFilter | undefined,
    @Ctx() ctx: TenantContext,
  ) {
    return listApiKeyUsage(ctx, keyId ?? undefined, filter, after ?? undefined, pageSize(first, API_KEY_USAGE_PAGE));
  }

  @Mutation(() => CreatedApiKey)
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: TenantContext) {
    return createApiKey(ctx, input);
  }

  @Mutation(() => CreatedApiKey, { description: 'Issues a new secret with the same settings and revokes the old one.' })
  rotateApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return rotateApiKey(ctx, id);
  }

  @Mutation(() => ApiKey)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return revokeApiKey(ctx, id);
  }

  @Mutation(() => ApiKey, {
    description: 'Trusted-documents mode on or off: when on, the key runs only operations registered for the tenant (registerTrustedDocuments).',
  })
  setApiKeyTrustedDocumentsOnly(@Arg('id', () => ID) id: string, @Arg('enabled', () => Boolean) enabled: boolean, @Ctx() ctx: TenantContext) {
    return setApiKeyTrustedDocumentsOnly(ctx, id, enabled);
  }

  @Directive('@inaccessible')
  @Mutation(() => PartnerSession, { description: 'Internal: the gateway trades a partner key for a short-lived token.' })
  exchangeApiKey(@Args() { key, operationName }: ExchangeApiKeyArgs, @Ctx() ctx: TenantContext) {
    return exchangeApiKey(ctx, key, operationName?.slice(0, 100) ?? null);
  }
}
