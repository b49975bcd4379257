import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A partner API key (its secret is shown only when created or rotated).' })
export class ApiKey {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String, { description: 'Identifies the key: the part after `ssk_`.' }) prefix: string;
  @Field(() => [String]) scopes: string[];
  @Field(() => Int) rateLimitPerMinute: number;
  @Field(() => Boolean, { description: 'Trusted-documents mode: only operations registered for the tenant (registerTrustedDocuments) run with this key.' })
  trustedDocumentsOnly: boolean;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt?: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt?: Date | null;
  @Field(() => Date) createdAt: Date;
}

@ObjectType({ description: 'A new key: store `key` now, it cannot be shown again.' })
export class CreatedApiKey {
  @Field(() => String) key: string;
  @Field(() => ApiKey) apiKey: ApiKey;
}

@ObjectType({ description: 'One use of a key: recorded when the key is presented, completed by the gateway once answered.' })
export class ApiKeyUse {
  @Field(() => ID) keyId: string;
  @Field(() => String, { nullable: true }) operationName?: string | null;
  @Field(() => Date) at: Date;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next (older) page.' }) cursor?: string | null;
  @Field(() => String, { nullable: true, description: 'query, mutation or subscription; null when refused before parsing.' })
  operationType?: string | null;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the answer; null until the gateway has recorded it (about a second).' })
  status?: number | null;
  @Field(() => [String], { nullable: true, description: '`extensions.code` of each error of the answer.' }) errorCodes?: string[] | null;
  @Field(() => Int, { nullable: true, description: 'Whole request at the gateway, in ms.' }) latencyMs?: number | null;
  @Field(() => Int, { nullable: true }) requestBytes?: number | null;
  @Field(() => Int, { nullable: true }) responseBytes?: number | null;
  @Field(() => String, { nullable: true, description: 'x-request-id of the request (logs and support).' }) requestId?: string | null;
}

@ObjectType({ description: 'Internal: what the gateway gets for a valid key.' })
export class PartnerSession {
  @Field(() => String) accessToken: string;
  @Field(() => ID) keyId: string;
  @Field(() => Int) rateLimitPerMinute: number;
  @Field(() => Boolean) trustedDocumentsOnly: boolean;
  @Field(() => ID, { nullable: true, description: 'The tenant of the key (usage records).' }) tenantId?: string;
  @Field(() => ID, { nullable: true, description: 'This use of the key: the gateway completes it after the answer (recordApiUsage).' }) useId?: string;
}
