import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CreditsContext } from './context';
import { SetTenantRateArgs } from './package.input';
import { setTenantRate } from './rates.service';
import { CreditRates } from './wallet.type';

@Resolver(() => CreditRates)
export class TenantRateResolver {
  @Mutation(() => CreditRates, { description: "Sets one tenant's price per credit for a channel (platform); returns its rates." })
  setTenantRate(@Args(() => SetTenantRateArgs) args: SetTenantRateArgs, @Ctx() ctx: CreditsContext) {
    return setTenantRate(ctx, args.tenantId, args.channel, args.ratePaise);
  }
}
