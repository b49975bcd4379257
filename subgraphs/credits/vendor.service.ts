import type { CreditsContext } from './context';
import { conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { isDuplicateKey } from '../../core/store/duplicate-key';
import type { CreateVendorInput, UpdateVendorInput } from './vendor.input';
import { vendorLoader } from './vendor.loader';
import { vendorModel, type VendorDoc } from './vendor.model';

export const toVendor = (d: VendorDoc) => ({
  id: d._id.toHexString(),
  name: d.name,
  channel: d.channel,
  costPaisePerCredit: d.costPaisePerCredit,
  createdAt: d.createdAt,
});

const duplicate = () => conflict('A vendor with this name already exists for this channel', 'name');

/** Newest first, at most 200. */
export async function listVendors(ctx: CreditsContext) {
  const docs = await vendorModel(ctx.db.platform()).find().sort({ createdAt: -1 }).limit(200).lean<VendorDoc[]>();
  return docs.map(toVendor);
}

export async function createVendor(ctx: CreditsContext, input: CreateVendorInput) {
  try {
    const doc = await vendorModel(ctx.db.platform()).create({ ...input, createdBy: ctx.auth?.sub });
    return toVendor(doc.toObject());
  } catch (err) {
    if (isDuplicateKey(err)) throw duplicate();
    throw err;
  }
}

export async function updateVendor(ctx: CreditsContext, id: string, input: UpdateVendorInput) {
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

/** A vendor by id (batched per request), or null. */
export async function vendorById(ctx: CreditsContext, id: string) {
  const doc = await vendorLoader(ctx).load(id);
  return doc ? toVendor(doc) : null;
}
