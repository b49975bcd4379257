import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { BillingSettingsInput } from './settings.input';
import { getBillingSettings, updateBillingSettings } from './settings.service';
import { BillingSettings } from './settings.type';

@Resolver(() => BillingSettings)
export class BillingSettingsResolver {
  @Query(() => BillingSettings, { nullable: true, description: 'Seller details for invoices; null until set.' })
  async billingSettings(@Ctx() ctx: BillingContext) {
    return getBillingSettings(ctx);
  }

  @Mutation(() => BillingSettings, { description: 'Sets the seller details printed on invoices issued from now on.' })
  async updateBillingSettings(@Arg('input', () => BillingSettingsInput) input: BillingSettingsInput, @Ctx() ctx: BillingContext) {
    return updateBillingSettings(ctx, input);
  }
}
