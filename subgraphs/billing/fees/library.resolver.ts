import { tryParseId } from '../../../core/ids';

/** Billing contributes no Library fields: a well-formed id resolves to its stub. */
export const resolveLibraryReference = (ref: Record<string, unknown>) =>
  tryParseId(ref.id) ? { id: ref.id as string } : null;
