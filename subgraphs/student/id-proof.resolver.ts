import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { hideResult } from '../../core/server/audit-plugin';
import type { StudentContext } from './context';
import { IdProofReveal } from './id-proof.type';
import { revealIdProofNumber } from './id-proof.service';

@Resolver()
export class IdProofResolver {
  @Mutation(() => IdProofReveal, {
    description:
      'The full ID-proof number of a student (reads show it masked). Needs students:idproof:reveal; each reveal is in the audit log (never the number).',
  })
  revealIdProofNumber(@Arg('studentId', () => ID) studentId: string, @Ctx() ctx: StudentContext) {
    hideResult(ctx);
    return revealIdProofNumber(ctx, studentId);
  }
}
