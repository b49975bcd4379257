import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { CreditsContext } from './context';
import { CreateVendorInput, UpdateVendorInput } from './vendor.input';
import { createVendor, listVendors, updateVendor } from './vendor.service';
import { Vendor } from './vendor.type';

@Resolver(() => Vendor)
export class VendorResolver {
  @Query(() => [Vendor], { description: 'Credit vendors, newest first (platform).' })
  vendors(@Ctx() ctx: CreditsContext) {
    return listVendors(ctx);
  }

  @Mutation(() => Vendor, { description: 'Adds a credit vendor (platform).' })
  createVendor(@Arg('input', () => CreateVendorInput) input: CreateVendorInput, @Ctx() ctx: CreditsContext) {
    return createVendor(ctx, input);
  }

  @Mutation(() => Vendor, { description: 'Renames a vendor or changes its price (past purchases keep their cost).' })
  updateVendor(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateVendorInput) input: UpdateVendorInput, @Ctx() ctx: CreditsContext) {
    return updateVendor(ctx, id, input);
  }
}
