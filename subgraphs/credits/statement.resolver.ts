import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { DocumentLink } from '../../core/documents/link.type';
import type { CreditsContext } from './context';
import { CreditStatementArgs } from './statement.input';
import { issueCreditStatement } from './statement.service';

@Resolver()
export class CreditStatementResolver {
  @Query(() => DocumentLink, {
    description: "A download link (5 minutes) of the caller's credit statement (PDF): per channel, opening balance, every movement, closing balance.",
  })
  creditStatement(@Args(() => CreditStatementArgs) args: CreditStatementArgs, @Ctx() ctx: CreditsContext) {
    return issueCreditStatement(ctx, args);
  }
}
