import type { AccessClaims } from '../../core/auth/tokens';
import { topics } from '../../core/events';
import { inLibraryScope } from '../../core/scope/library-scope';

/**
 * How each subscription field is served: which tenant topic it listens to,
 * which events it accepts, and which query field fetches its payload through
 * the gateway (so a selection spanning subgraphs is resolved per event by
 * federation, with the subscriber's own permissions).
 */
export interface SubscriptionRoute {
  topic(tenantId: string): string;
  accept(event: Record<string, unknown>, args: Record<string, unknown>, auth: AccessClaims): boolean;
  /**
   * The payload depends on the user who asks (e.g. notifications are visible by user id):
   * subscribers are then grouped per user, never across users (multiplex.ts).
   */
  perUser?: boolean;
  /** Query field that returns the payload, and its arguments (with GraphQL types) from the event. */
  query: { field: string; args(event: Record<string, unknown>): Record<string, unknown>; types: Record<string, string> };
}

export const SUBSCRIPTION_ROUTES: Record<string, SubscriptionRoute> = {
  occupancyChanged: {
    topic: topics.occupancy,
    // A branch-scoped subscriber hears its own libraries only (core/scope/library-scope.ts).
    accept: (e, args, auth) => (!args.libraryId || args.libraryId === e.libraryId) && inLibraryScope({ auth }, e.libraryId as string),
    query: { field: 'library', args: (e) => ({ id: e.libraryId }), types: { id: 'ID!' } },
  },
  notificationReceived: {
    topic: topics.notification,
    perUser: true,
    accept: (e, _args, auth) => e.userId === null || e.userId === undefined || e.userId === auth.sub,
    query: { field: 'notification', args: (e) => ({ id: e.id }), types: { id: 'ID!' } },
  },
};
