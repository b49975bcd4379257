import type { RequestContext } from '../../../core/context';
import { ownedReference } from '../../../core/federation/owned-reference';

/** Billing contributes no Library fields: a stub only for a library of the caller's tenant (asked of the tenant subgraph). */
export const resolveLibraryReference = (ref: Record<string, unknown>, ctx: RequestContext) =>
  ownedReference(ref, ctx, 'tenant', 'Library');
