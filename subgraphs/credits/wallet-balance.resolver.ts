import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Channel, CHANNELS } from './channel.type';
import type { WalletSource } from './wallet.service';
import { DEFAULT_THRESHOLD } from './wallet.service';
import { lastChange } from './ledger.service';
import { CreditThresholds, Wallet } from './wallet.type';

/** Balances from the chains, each channel read only when selected. */
@Resolver(() => Wallet)
export class WalletBalanceResolver {
  @FieldResolver(() => Int)
  async sms(@Root() w: WalletSource): Promise<number> {
    return (await w.reads.head(Channel.SMS)).balance;
  }

  @FieldResolver(() => Int)
  async whatsapp(@Root() w: WalletSource): Promise<number> {
    return (await w.reads.head(Channel.WHATSAPP)).balance;
  }

  @FieldResolver(() => Int)
  async email(@Root() w: WalletSource): Promise<number> {
    return (await w.reads.head(Channel.EMAIL)).balance;
  }

  @FieldResolver(() => Date, { nullable: true })
  async updatedAt(@Root() w: WalletSource): Promise<Date | undefined> {
    return lastChange(await Promise.all(CHANNELS.map((c) => w.reads.head(c))));
  }

  @FieldResolver(() => CreditThresholds)
  async thresholds(@Root() w: WalletSource): Promise<CreditThresholds> {
    const t = (await w.reads.doc()).thresholds ?? {};
    return { sms: t.sms ?? DEFAULT_THRESHOLD, whatsapp: t.whatsapp ?? DEFAULT_THRESHOLD, email: t.email ?? DEFAULT_THRESHOLD };
  }
}
