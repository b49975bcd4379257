import { setTimeout as sleep } from 'node:timers/promises';
import { trusted } from 'mongoose';
import { AppError, badInput, conflict, notFound } from '../../../core/errors';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { findTenant, type TenantRecord } from '../../../core/tenancy/registry';
import type { TenantContext } from '../context';
import { createTenant, toTenant } from '../tenant.service';
import type { ConvertLeadInput } from './lead-conversion.input';
import { leadConversionModel, type LeadConversionDoc } from './lead-conversion.model';
import { leadModel, LeadStage, type LeadDoc } from './lead.model';
import { caller, leadDoc } from './lead.service';

/** An attempt older than this that has not recorded its tenant: its writer died, the next call resumes it. */
const STALE_MS = 120_000;
/** How long a call that lost the race waits for the winner before answering CONFLICT (try again). */
const WAIT_MS = 15_000;
/** Clock skew between instances allowed when telling our registry entry from someone else's. */
const SKEW_MS = 60_000;

/** `<business-name>-<last 6 hex of the lead id>`: the same on every retry, 30 characters at most. */
export function derivedSlug(lead: Pick<LeadDoc, '_id' | 'businessName'>): string {
  const base = lead.businessName
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 23)
    .replace(/^-+|-+$/g, '');
  const tail = lead._id.toHexString().slice(-6);
  return `${base || 'lead'}-${tail}`;
}

type TenantView = ReturnType<typeof toTenant>;

type Plan = Pick<LeadConversionDoc, 'slug' | 'name' | 'plan' | 'ownerEmail' | 'ownerName' | 'by'>;

/** What the tenant will be: the input where given, else prefilled from the lead. */
function prefill(lead: LeadDoc, input: ConvertLeadInput, by: string): Plan {
  const ownerEmail = (input.ownerEmail ?? lead.email)?.trim().toLowerCase();
  if (!ownerEmail) throw badInput('input.ownerEmail', "is required: the lead has no e-mail for the tenant's owner");
  return {
    slug: input.slug ?? derivedSlug(lead),
    name: (input.name ?? lead.businessName).trim(),
    plan: input.plan ?? 'free',
    ownerEmail,
    ownerName: (input.ownerName ?? lead.contactName).trim(),
    by,
  };
}

async function tenantById(ctx: TenantContext, id: string) {
  const t = await findTenant(ctx.db.platform(), { id });
  if (!t) throw notFound('Tenant');
  return toTenant(t);
}

/** Lead.tenant: the converted lead's tenant, or null. */
export async function tenantOfLead(ctx: TenantContext, tenantId: string | null) {
  const t = tenantId ? await findTenant(ctx.db.platform(), { id: tenantId }) : null;
  return t ? toTenant(t) : null;
}

const latestAttempt = (ctx: TenantContext, leadId: string) =>
  leadConversionModel(ctx.db.platform()).findOne({ leadId }).sort({ attempt: -1 }).lean<LeadConversionDoc>();

/** A registry entry of the attempt's slug made by this conversion (not an older tenant that had the slug). */
const ours = (t: TenantRecord, a: LeadConversionDoc) => t.createdAt.getTime() >= a.firstAt.getTime() - SKEW_MS;

/**
 * Turns a WON lead into a provisioned tenant, once. The first call takes attempt 1
 * (`<leadId>:1`, unique) and provisions through createTenant; racing calls wait for it and
 * answer the same tenant; a retry after a crash adopts the tenant if it was provisioned, or
 * resumes the stale attempt with the same slug (createTenant resumes a `provisioning` entry).
 */
export async function convertLead(ctx: TenantContext, id: string, input: ConvertLeadInput): Promise<TenantView> {
  const by = caller(ctx);
  const lead = await leadDoc(ctx, id);
  if (lead.tenantId) return tenantById(ctx, lead.tenantId);
  if (lead.status !== LeadStage.WON) throw badInput('id', `only a WON lead converts into a tenant; this one is ${lead.status.toUpperCase()}`);
  const leadId = lead._id.toHexString();
  if (!(await latestAttempt(ctx, leadId))) {
    const plan = prefill(lead, input, by);
    if (await findTenant(ctx.db.platform(), { slug: plan.slug })) {
      // Taken by a racing call converting this same lead (its attempt came first), or by another tenant.
      if (!(await latestAttempt(ctx, leadId))) throw conflict('A tenant with this slug already exists', 'input.slug');
    } else {
      const first = await takeAttempt(ctx, leadId, 1, plan, new Date());
      if (first) return provision(ctx, lead, first, input.ownerPassword);
    }
  }
  return follow(ctx, lead, input);
}

/** Inserts attempt `n`; null when another call took it first. */
async function takeAttempt(ctx: TenantContext, leadId: string, n: number, plan: Plan, firstAt: Date): Promise<LeadConversionDoc | null> {
  try {
    const { slug, name, plan: tier, ownerEmail, ownerName, by } = plan; // only these: a resumed attempt passes a whole document
    const doc = await leadConversionModel(ctx.db.platform()).create({
      _id: `${leadId}:${n}`,
      leadId,
      attempt: n,
      firstAt,
      slug,
      name,
      plan: tier,
      ownerEmail,
      ownerName,
      by,
    });
    return doc.toObject<LeadConversionDoc>();
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/** Another call holds the conversion: wait for its tenant, adopt a finished one, resume a dead one. */
async function follow(ctx: TenantContext, lead: LeadDoc, input: ConvertLeadInput): Promise<TenantView> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = await leadModel(ctx.db.platform()).findById(lead._id, { tenantId: 1 }).lean<LeadDoc>();
    if (now?.tenantId) return tenantById(ctx, now.tenantId);
    const attempt = await latestAttempt(ctx, lead._id.toHexString());
    // The winner gave its attempt back (its slug was taken meanwhile): start afresh.
    if (!attempt) return convertLead(ctx, lead._id.toHexString(), input);
    const entry = await findTenant(ctx.db.platform(), { slug: attempt.slug });
    // Provisioned, but its writer died before recording it on the lead.
    if (entry?.status === 'active' && ours(entry, attempt)) return record(ctx, lead, entry._id.toHexString(), attempt.by);
    if (attempt.failedAt || Date.now() - attempt.createdAt.getTime() > STALE_MS) {
      const next = await takeAttempt(ctx, attempt.leadId, attempt.attempt + 1, attempt, attempt.firstAt);
      if (next) return provision(ctx, lead, next, input.ownerPassword);
    }
    if (Date.now() > deadline) throw conflict('The lead is being converted right now; try again in a moment', 'id');
    await sleep(100);
  }
}

/** Provisions the attempt's tenant (the one provisioning service, createTenant) and records it on the lead. */
async function provision(ctx: TenantContext, lead: LeadDoc, a: LeadConversionDoc, password: string) {
  let tenantId: string;
  try {
    const owner = { email: a.ownerEmail, name: a.ownerName, password };
    tenantId = (await createTenant(ctx, { name: a.name, slug: a.slug, plan: a.plan, owner })).id;
  } catch (err) {
    if (!(err instanceof AppError) || err.extensions.code !== 'CONFLICT') {
      // Kept, marked failed: the next call resumes it at once (same slug, createTenant resumes).
      await leadConversionModel(ctx.db.platform()).updateOne({ _id: a._id }, { $set: { failedAt: new Date() } });
      throw err;
    }
    const entry = await findTenant(ctx.db.platform(), { slug: a.slug });
    if (!entry || !ours(entry, a)) {
      // Someone else's tenant took the slug: give the conversion back so a retry may name another.
      await leadConversionModel(ctx.db.platform()).deleteMany({ leadId: a.leadId });
      throw conflict('A tenant with this slug already exists', 'input.slug');
    }
    tenantId = entry._id.toHexString(); // our own, finished by a racing resume
  }
  return record(ctx, lead, tenantId, a.by);
}

/** Stores the tenant on the lead (first writer wins; every writer writes the same tenant) and answers it. */
async function record(ctx: TenantContext, lead: LeadDoc, tenantId: string, by: string) {
  const Leads = leadModel(ctx.db.platform());
  try {
    await Leads.updateOne({ _id: lead._id, tenantId: trusted({ $exists: false }) }, { $set: { tenantId, convertedAt: new Date(), convertedBy: by } });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict('That tenant was converted from another lead', 'id');
  }
  const now = await Leads.findById(lead._id, { tenantId: 1 }).lean<LeadDoc>();
  return tenantById(ctx, now!.tenantId!);
}
