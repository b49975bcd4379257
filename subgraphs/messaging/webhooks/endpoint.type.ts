import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { AttemptOutcome, DeliveryStatus } from './delivery.model';
import { DisabledReason, EndpointStatus } from './endpoint.model';

registerEnumType(EndpointStatus, { name: 'WebhookEndpointStatus' });
registerEnumType(DisabledReason, { name: 'WebhookDisabledReason', description: 'MANUAL, FAILING (every attempt failed for 24 h), GONE (410), KEY_REVOKED.' });
registerEnumType(DeliveryStatus, { name: 'WebhookDeliveryStatus' });
registerEnumType(AttemptOutcome, { name: 'WebhookAttemptOutcome' });

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'An https endpoint that receives signed webhook events (docs/partners.md "Webhooks").' })
export class WebhookEndpoint {
  @Field(() => ID) id: string;
  @Field(() => String) url: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String]) eventTypes: string[];
  @Field(() => EndpointStatus) status: EndpointStatus;
  @Field(() => DisabledReason, { nullable: true }) disabledReason?: DisabledReason | null;
  @Field(() => Date, { nullable: true }) disabledAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The partner API key that owns it; null for the tenant’s own.' }) apiKeyId?: string | null;
  @Field(() => Date, { nullable: true, description: 'First failed attempt since the last success.' }) failingSince?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Until when a rotated-out secret still signs.' }) previousSecretExpiresAt?: Date | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'An endpoint with its signing secret: store `secret` now, it is shown only here.' })
export class WebhookEndpointSecret {
  @Field(() => String, { description: 'whsec_… (Standard Webhooks).' }) secret: string;
  @Field(() => WebhookEndpoint) endpoint: WebhookEndpoint;
}

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'A webhook event type and what subscribing to it needs.' })
export class WebhookEventType {
  @Field(() => String) type: string;
  @Field(() => Int) version: number;
  @Field(() => String) description: string;
  @Field(() => String, { nullable: true, description: 'The permission (or partner scope) an endpoint owner needs.' }) requires?: string | null;
}

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'One event queued for one endpoint; retried with backoff until delivered or FAILED.' })
export class WebhookDelivery {
  @Field(() => ID) id: string;
  @Field(() => ID) endpointId: string;
  @Field(() => String, { description: 'The webhook-id header and payload id: the same on every retry and replay.' }) eventId: string;
  @Field(() => String) eventType: string;
  @Field(() => String, { description: 'The exact JSON body sent.' }) payload: string;
  @Field(() => DeliveryStatus) status: DeliveryStatus;
  @Field(() => Int) attempts: number;
  @Field(() => Date, { nullable: true }) nextAttemptAt?: Date | null;
  @Field(() => Int, { nullable: true }) lastResponseCode?: number | null;
  @Field(() => String, { nullable: true }) lastError?: string | null;
  @Field(() => Date, { nullable: true }) deliveredAt?: Date | null;
  @Field(() => Date) createdAt: Date;
}

@Directive(PUBLIC_TAG)
@ObjectType()
export class WebhookDeliveryPage {
  @Field(() => [WebhookDelivery]) nodes: WebhookDelivery[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null at the end.' }) nextCursor?: string | null;
}

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'One attempt of a delivery (the delivery log).' })
export class WebhookAttempt {
  @Field(() => ID) deliveryId: string;
  @Field(() => Int) attempt: number;
  @Field(() => String, { description: 'SCHEDULE, REPLAY or PING.' }) trigger: string;
  @Field(() => AttemptOutcome) outcome: AttemptOutcome;
  @Field(() => Int, { nullable: true }) responseCode?: number | null;
  @Field(() => Int, { nullable: true }) latencyMs?: number | null;
  @Field(() => String, { nullable: true, description: 'HTTP_<code>, TIMEOUT, DNS, CONNECTION, BLOCKED_TARGET.' }) errorClass?: string | null;
  @Field(() => String, { nullable: true, description: 'The first 1 KB of the answer.' }) responseBody?: string | null;
  @Field(() => Date) at: Date;
}
