import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, Max } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageSize } from '../../../core/pagination';
import { WEBHOOK_SOURCES } from './catalog.events';
import { DeliveryStatus } from './delivery.model';

/** The types an endpoint may subscribe to (the ping is sent on demand, never subscribed). */
export const SUBSCRIBABLE_TYPES: readonly string[] = Object.values(WEBHOOK_SOURCES).map((s) => s.type);

@InputType({ description: 'A new webhook endpoint: an https URL and the event types it receives.' })
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'https:// only; private, loopback, link-local and metadata addresses are refused.' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @Field(() => [String], { description: 'Event types (webhookEventTypes), e.g. student.created.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(SUBSCRIBABLE_TYPES, { each: true })
  eventTypes: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string | null;
}

@InputType({ description: 'What to change on an endpoint; fields left out stay.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(SUBSCRIBABLE_TYPES, { each: true })
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string | null;
}

@ArgsType()
export class RotateWebhookSecretArgs {
  @Field(() => ID) id: string;

  @Field(() => Int, { defaultValue: 24, description: 'Hours the old secret keeps signing beside the new one (0..168).' })
  @IsInt()
  @Min(0)
  @Max(168)
  overlapHours: number;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID) endpointId: string;

  @Field(() => DeliveryStatus, { nullable: true })
  @IsOptional()
  status?: DeliveryStatus | null;

  @Field(() => Int, { nullable: true, defaultValue: 50, description: '1..200' })
  @PageSize()
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string | null;
}
