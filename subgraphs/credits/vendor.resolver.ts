import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { CreateVendorInput, UpdateVendorInput } from './vendor.input';
import { toVendor, vendorModel, type VendorDoc } from './vendor.model';
import { Vendor } from './vendor.type';
import { isDuplicateKey } from '../../core/store/duplicate-key';

const duplicate = () => conflict('A vendor with this name already exists for this channel', 'name');

@Resolver(() => Vendor)
export class VendorResolver {
  @Query(() => [Vendor], { description: 'Credit vendors, newest first (platform).' })
  async vendors(@Ctx() ctx: RequestContext) {
    const docs = await vendorModel(ctx.db.platform()).find().sort({ createdAt: -1 }).limit(200).lean<VendorDoc[]>();
    return docs.map(toVendor);
  }

  @Mutation(() => Vendor, { description: 'Adds a credit vendor (platform).' })
  async createVendor(@Arg('input', () => CreateVendorInput) input: CreateVendorInput, @Ctx() ctx: RequestContext) {
    try {
      const doc = await vendorModel(ctx.db.platform()).create({ ...input, createdBy: ctx.auth?.sub });
      return toVendor(doc.toObject());
    } catch (err) {
      if (isDuplicateKey(err)) throw duplicate();
      throw err;
    }
  }

  @Mutation(() => Vendor, { description: 'Renames a vendor or changes its price (past purchases keep their cost).' })
  async updateVendor(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateVendorInput) input: UpdateVendorInput,
    @Ctx() ctx: RequestContext,
  ) {
    const _id = parseId(id, 'id');
    const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
    try {
      const doc = await vendorModel(ctx.db.platform()).findOneAndUpdate({ _id }, { $set: set }, { returnDocument: 'after' }).lean<VendorDoc>();
      if (!doc) throw notFound('Vendor');
      return toVendor(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw duplicate();
      throw err;
    }
  }
}
