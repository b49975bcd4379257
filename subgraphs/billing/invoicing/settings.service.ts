import type { Connection } from 'mongoose';
import type { BillingContext } from '../context';
import type { BillingSettingsInput } from './settings.input';
import { billingSettingsModel, DEFAULT_GST_RATE, DEFAULT_SAC, SETTINGS_ID, type BillingSettingsDoc } from './settings.model';
import type { BillingSettings } from './settings.type';

const toSettings = (d: BillingSettingsDoc): BillingSettings => ({
  legalName: d.legalName,
  gstin: d.gstin ?? undefined,
  address: d.address,
  stateCode: d.stateCode,
  hsnSac: d.hsnSac,
  gstRatePercent: d.gstRatePercent,
});

/** The tenant's seller details for invoices; null until set. */
export async function getBillingSettings(ctx: BillingContext) {
  const doc = await findBillingSettings(await ctx.tenantDb());
  return doc ? toSettings(doc) : null;
}

/** Sets the seller details printed on invoices issued from now on. */
export async function updateBillingSettings(ctx: BillingContext, input: BillingSettingsInput) {
  const set: Omit<BillingSettingsDoc, '_id'> = {
    legalName: input.legalName.trim(),
    address: input.address.trim(),
    stateCode: input.stateCode,
    hsnSac: input.hsnSac ?? DEFAULT_SAC,
    gstRatePercent: input.gstRatePercent ?? DEFAULT_GST_RATE,
  };
  if (input.gstin) set.gstin = input.gstin;
  const doc = await billingSettingsModel(await ctx.tenantDb())
    .findOneAndUpdate({ _id: SETTINGS_ID }, input.gstin ? { $set: set } : { $set: set, $unset: { gstin: 1 } }, { upsert: true, returnDocument: 'after' })
    .lean<BillingSettingsDoc>();
  return toSettings(doc!);
}

/** The tenant's billing settings document, or null before the first update. */
export const findBillingSettings = (conn: Connection) => billingSettingsModel(conn).findById(SETTINGS_ID).lean<BillingSettingsDoc>();
