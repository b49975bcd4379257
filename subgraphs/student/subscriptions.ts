import type { SubscriptionRoutes } from '../../core/federation/gateway-subscription';
import { occupancySubscriptions } from './occupancy.route';
import { ticketSubscriptions } from './tickets/ticket.route';

/** Subscription fields the gateway serves for the student subgraph (each route beside its stub). */
export const studentSubscriptions: SubscriptionRoutes = { ...occupancySubscriptions, ...ticketSubscriptions };
