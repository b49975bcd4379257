import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { TenantContext } from '../context';
import { Tenant } from '../tenant.type';
import { ConvertLeadInput } from './lead-conversion.input';
import { convertLead } from './lead-conversion.service';

@Resolver()
export class LeadConversionResolver {
  @Mutation(() => Tenant, {
    description: 'Provisions the tenant a WON lead becomes (prefilled from the lead), once: a repeated or racing call answers the same tenant.',
  })
  convertLead(@Arg('id', () => ID) id: string, @Arg('input', () => ConvertLeadInput) input: ConvertLeadInput, @Ctx() ctx: TenantContext) {
    return convertLead(ctx, id, input);
  }
}
