import type { ContextDeps, RequestContext } from '../../core/context';

/** What the credits subgraph's resolvers find in `ctx.services`: nothing yet (it needs no start-up dependencies). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the typed-services slot every subgraph has; credits needs no start-up dependencies yet
export interface CreditsServices {}

export type CreditsContext = RequestContext<CreditsServices>;
/** Start-up dependencies of the credits subgraph's consumers and routes. */
export type CreditsDeps = ContextDeps<CreditsServices>;
