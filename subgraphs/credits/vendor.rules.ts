import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { MasterWallet, Vendor, VendorPurchase } from './vendor.type';

/** Who may reach vendor's fields (docs/permissions.md); `*` is every field without its own entry. */
export const vendorRules: RuleTable = {
  Query: { vendors: 'credits:rates' },
  Mutation: { createVendor: 'platform:credits', updateVendor: 'platform:credits' },
  MasterWallet: typeRules<MasterWallet>({ '*': 'credits:rates' }),
  VendorPurchase: typeRules<VendorPurchase>({ '*': 'credits:rates' }),
  Vendor: typeRules<Vendor>({ '*': 'credits:rates' }),
};
