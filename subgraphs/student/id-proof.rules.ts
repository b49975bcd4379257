import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { IdProofReveal } from './id-proof.type';

/** Revealing a full ID-proof number is its own permission (owners; others by override). */
export const idProofRules: RuleTable = {
  Mutation: { revealIdProofNumber: 'students:idproof:reveal' },
  IdProofReveal: typeRules<IdProofReveal>({ '*': 'students:idproof:reveal' }),
};
