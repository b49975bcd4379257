import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { pageSize } from '../../../core/pagination';
import type { MessagingContext } from '../context';
import { CreateWebhookEndpointInput, RotateWebhookSecretArgs, UpdateWebhookEndpointInput, WebhookDeliveriesArgs } from './endpoint.input';
import * as endpoints from './endpoint.service';
import { WebhookAttempt, WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointSecret, WebhookEventType } from './endpoint.type';

/** Outbound webhooks: a tenant's owners and managers manage all of the tenant's endpoints; a partner key (scope webhooks:manage) its own. */
@Resolver()
export class WebhookEndpointResolver {
  @Directive(PUBLIC_TAG)
  @Query(() => [WebhookEventType], { description: 'The webhook event types, their payload version and what subscribing needs.' })
  webhookEventTypes() {
    return endpoints.listEventTypes();
  }

  @Directive(PUBLIC_TAG)
  @Query(() => [WebhookEndpoint], { description: "The caller's webhook endpoints (a partner key: its own), newest first." })
  webhookEndpoints(@Ctx() ctx: MessagingContext) {
    return endpoints.listEndpoints(ctx);
  }

  @Directive(PUBLIC_TAG)
  @Query(() => WebhookEndpoint)
  webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return endpoints.getEndpoint(ctx, id);
  }

  @Directive(PUBLIC_TAG)
  @Query(() => WebhookDeliveryPage, { description: "An endpoint's deliveries (the delivery log), newest first." })
  webhookDeliveries(@Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs, @Ctx() ctx: MessagingContext) {
    return endpoints.listDeliveries(ctx, args, pageSize(args.first));
  }

  @Directive(PUBLIC_TAG)
  @Query(() => [WebhookAttempt], { description: "A delivery's attempts, first to last." })
  webhookDeliveryAttempts(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: MessagingContext) {
    return endpoints.listAttempts(ctx, deliveryId);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => WebhookEndpointSecret, { description: 'Subscribes an https endpoint; the signing secret is shown only in this answer.' })
  createWebhookEndpoint(@Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput, @Ctx() ctx: MessagingContext) {
    return endpoints.createEndpoint(ctx, input);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: MessagingContext,
  ) {
    return endpoints.updateEndpoint(ctx, id, input);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => WebhookEndpoint, { description: 'Stops deliveries; pending ones end FAILED (replay them after enabling).' })
  disableWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return endpoints.disableOwnEndpoint(ctx, id);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => WebhookEndpoint, { description: 'Re-enables an endpoint and resets its failure clock.' })
  enableWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return endpoints.enableEndpoint(ctx, id);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => Boolean, { description: 'Deletes the endpoint, its deliveries and their log.' })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return endpoints.deleteEndpoint(ctx, id);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => WebhookEndpointSecret, { description: 'A new signing secret (shown only here); the old one keeps signing for overlapHours.' })
  rotateWebhookSecret(@Args(() => RotateWebhookSecretArgs) args: RotateWebhookSecretArgs, @Ctx() ctx: MessagingContext) {
    return endpoints.rotateSecret(ctx, args);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => WebhookAttempt, { description: 'Sends a webhook.test event to the endpoint now and answers with the attempt.' })
  pingWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return endpoints.pingOwnEndpoint(ctx, id);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => WebhookAttempt, { description: 'Sends a delivery again now (same webhook-id and body) and answers with the attempt.' })
  replayWebhookDelivery(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return endpoints.replayDelivery(ctx, id);
  }
}
