import { ArgsType, Field, Int } from 'type-graphql';
import { PAGE_MAX, PageArgs, PageSize } from '../../core/pagination';

/** A wallet's own ledger (Wallet.ledger, MasterWallet.ledger) shows its 20 latest movements by default. */
export const WALLET_LEDGER_PAGE = 20;

/** `first` of Wallet.ledger and MasterWallet.ledger: the page-size rule with their smaller default. */
@ArgsType()
export class WalletLedgerPageArgs extends PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: WALLET_LEDGER_PAGE, description: `1..${PAGE_MAX}` })
  @PageSize()
  declare first?: number | null;
}
