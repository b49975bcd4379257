import type { BillingContext } from '../context';
import { ownedReference } from '../../../core/federation/owned-reference';

/** Billing contributes no Library fields: a stub only for a library of the caller's tenant (asked of the tenant subgraph). */
export const resolveLibraryReference = (ref: Record<string, unknown>, ctx: BillingContext) => ownedReference(ref, ctx, 'tenant', 'Library');
