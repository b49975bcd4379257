import { Args, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { findTenant } from '../../core/tenancy/registry';
import { SetTenantRateArgs } from './package.input';
import { loadRates, tenantRatesModel, type CreditRatesDoc } from './rates.model';
import { CreditRates } from './wallet.type';

@Resolver(() => CreditRates)
export class TenantRateResolver {
  @Mutation(() => CreditRates, { description: 'Sets one tenant\'s price per credit for a channel (platform); returns its rates.' })
  async setTenantRate(@Args(() => SetTenantRateArgs) args: SetTenantRateArgs, @Ctx() ctx: RequestContext) {
    if (!(await findTenant(ctx.db.platform(), { id: args.tenantId }))) throw notFound('Tenant');
    const own = await tenantRatesModel(ctx.db.platform())
      .findOneAndUpdate({ _id: args.tenantId }, { $set: { [args.channel]: args.ratePaise } }, { upsert: true, returnDocument: 'after' })
      .lean<CreditRatesDoc>();
    const base = await loadRates(ctx);
    return { sms: own?.sms ?? base.sms, whatsapp: own?.whatsapp ?? base.whatsapp, email: own?.email ?? base.email };
  }
}
