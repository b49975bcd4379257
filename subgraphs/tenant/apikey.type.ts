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

@ObjectType({ description: 'One use of a key.' })
export class ApiKeyUse {
  @Field(() => ID) keyId: string;
  @Field(() => String, { nullable: true }) operationName?: string | null;
  @Field(() => Date) at: Date;
}

@ObjectType({ description: 'Internal: what the gateway gets for a valid key.' })
export class PartnerSession {
  @Field(() => String) accessToken: string;
  @Field(() => ID) keyId: string;
  @Field(() => Int) rateLimitPerMinute: number;
  @Field(() => Boolean) trustedDocumentsOnly: boolean;
}
