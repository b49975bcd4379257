import type { ContextDeps, RequestContext } from '../../core/context';
import type { ObjectStore } from '../../core/storage/object-store';

/** What the student subgraph's resolvers find in `ctx.services` (index.ts createServer gives them). */
export interface StudentServices {
  /** The clock of ticket SLAs (tests move it); absent: real time. */
  clock?: () => Date;
  /** Photos and ID-proof scans (core/storage); null when the deployment has no object storage. */
  storage: ObjectStore | null;
}

export type StudentContext = RequestContext<StudentServices>;
/** Start-up dependencies of the student subgraph's consumers and routes. */
export type StudentDeps = ContextDeps<StudentServices>;

/** The time of a request or job: the test clock when one is set. */
export const nowOf = (c: { services?: Readonly<StudentServices> }): Date => c.services?.clock?.() ?? new Date();
