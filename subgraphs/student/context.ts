import type { ContextDeps, RequestContext } from '../../core/context';

/** What the student subgraph's resolvers find in `ctx.services`: nothing yet (it needs no start-up dependencies). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the typed-services slot every subgraph has; student needs no start-up dependencies yet
export interface StudentServices {}

export type StudentContext = RequestContext<StudentServices>;
/** Start-up dependencies of the student subgraph's consumers and routes. */
export type StudentDeps = ContextDeps<StudentServices>;
