import { trusted, type Connection } from 'mongoose';
import { badInput, conflict, notFound, unauthenticated } from '../../../core/errors';
import { decodeCursor, encodeCursor, parseId } from '../../../core/ids';
import { changeStatus } from '../../../core/tenancy/status-claims';
import type { TenantContext } from '../context';
import { leadNotesLoader, leadStageClaimsLoader } from './lead.loader';
import { platformUserModel, type UserDoc } from '../user.model';
import type { CreateLeadInput, LeadFilter, MoveLeadStageInput, UpdateLeadInput } from './lead.input';
import { leadModel, leadNoteModel, leadStageClaimModel, LeadStage, type LeadDoc } from './lead.model';

/** The stage flow: where each stage may move to. WON is final (conversion to a tenant hooks there). */
const MOVES: Record<LeadStage, readonly LeadStage[]> = {
  [LeadStage.NEW]: [LeadStage.CONTACTED, LeadStage.LOST],
  [LeadStage.CONTACTED]: [LeadStage.DEMO, LeadStage.LOST],
  [LeadStage.DEMO]: [LeadStage.TRIAL, LeadStage.WON, LeadStage.LOST],
  [LeadStage.TRIAL]: [LeadStage.WON, LeadStage.LOST],
  [LeadStage.WON]: [],
  [LeadStage.LOST]: [LeadStage.NEW],
};

export const BOARD_STAGES: readonly LeadStage[] = [LeadStage.NEW, LeadStage.CONTACTED, LeadStage.DEMO, LeadStage.TRIAL, LeadStage.WON, LeadStage.LOST];

export const toLead = (d: LeadDoc) => ({
  id: d._id.toHexString(),
  source: d.source,
  contactName: d.contactName,
  phone: d.phone,
  email: d.email ?? null,
  city: d.city,
  businessName: d.businessName,
  libraries: d.libraries,
  expectedSeats: d.expectedSeats,
  stage: d.status,
  lostReason: d.lostReason ?? null,
  ownerId: d.ownerId,
  stageChangedAt: d.stageAt ?? null,
  stageChangedBy: d.stageBy ?? null,
  tenantId: d.tenantId ?? null,
  convertedAt: d.convertedAt ?? null,
  convertedBy: d.convertedBy ?? null,
  /** Moves written so far (Lead.stageHistory reads their claims). */
  statusSeq: d.statusSeq ?? 0,
  cursor: encodeCursor(d._id),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
export type LeadView = ReturnType<typeof toLead>;

/** The sales desk lives in the platform database only: a lead never sits in a tenant's. */
const platform = (ctx: TenantContext): Connection => ctx.db.platform();

export function caller(ctx: TenantContext): string {
  if (!ctx.auth?.sub) throw unauthenticated();
  return ctx.auth.sub;
}

/** An active platform user (super_admin, admin, support) may own a lead; anyone else is BAD_USER_INPUT. */
export async function assertPlatformUser(ctx: TenantContext, id: string, field: string): Promise<string> {
  const user = await platformUserModel(platform(ctx)).findById(parseId(id, field), { status: 1 }).lean<UserDoc>();
  if (!user || user.status !== 'active') throw badInput(field, 'is not an active platform user');
  return id;
}

export async function leadDoc(ctx: TenantContext, id: string, field = 'id'): Promise<LeadDoc> {
  const doc = await leadModel(platform(ctx)).findById(parseId(id, field)).lean<LeadDoc>();
  if (!doc) throw notFound('Lead');
  return doc;
}

export async function createLead(ctx: TenantContext, input: CreateLeadInput): Promise<LeadView> {
  const by = caller(ctx);
  const ownerId = input.ownerId ? await assertPlatformUser(ctx, input.ownerId, 'input.ownerId') : by;
  const Leads = leadModel(platform(ctx));
  const city = input.city.trim();
  const saved = (
    await new Leads({
      source: input.source,
      contactName: input.contactName.trim(),
      phone: input.phone,
      email: input.email ? input.email.trim().toLowerCase() : null,
      city,
      cityKey: city.toLowerCase(),
      businessName: input.businessName.trim(),
      libraries: input.libraries,
      expectedSeats: input.expectedSeats,
      status: LeadStage.NEW,
      statusSeq: 0,
      reached: [LeadStage.NEW],
      ownerId,
    }).save()
  ).toObject<LeadDoc>();
  if (input.note) await leadNoteModel(platform(ctx)).create({ leadId: saved._id, by, text: input.note.trim(), at: new Date() });
  return toLead(saved);
}

export async function updateLead(ctx: TenantContext, input: UpdateLeadInput): Promise<LeadView> {
  const doc = await leadDoc(ctx, input.id, 'input.id');
  const set: Record<string, unknown> = {};
  for (const key of ['source', 'contactName', 'phone', 'city', 'businessName', 'libraries', 'expectedSeats'] as const) {
    const value = input[key];
    if (value !== undefined && value !== null) set[key] = typeof value === 'string' ? value.trim() : value;
  }
  if (input.email !== undefined) set.email = input.email ? input.email.trim().toLowerCase() : null;
  if (typeof set.city === 'string') set.cityKey = set.city.toLowerCase();
  if (Object.keys(set).length === 0) return toLead(doc);
  const updated = await leadModel(platform(ctx)).findByIdAndUpdate(doc._id, { $set: set }, { returnDocument: 'after' }).lean<LeadDoc>();
  return toLead(updated!);
}

/**
 * One step of the stage flow. A move the flow does not allow is BAD_USER_INPUT; a move
 * that lost a race (the lead moved meanwhile, or is already at that stage) is CONFLICT: status claims let exactly one
 * of several concurrent moves from the same stage win, without transactions.
 */
export async function moveLeadStage(ctx: TenantContext, input: MoveLeadStageInput): Promise<LeadView> {
  const by = caller(ctx);
  const conn = platform(ctx);
  const doc = await leadDoc(ctx, input.id, 'input.id');
  const from = doc.status;
  // The stage the caller saw (a card dragged from its column): moved meanwhile is a lost race.
  if (input.from && input.from !== from) throw conflict(`The lead changed meanwhile: it is now ${from.toUpperCase()}`, 'input.from');
  // Already there: a double submit or two people at once, the same lost race.
  if (input.stage === from) throw conflict(`The lead is already ${from.toUpperCase()}`, 'input.stage');
  if (!MOVES[from].includes(input.stage)) {
    throw badInput('input.stage', `a ${from.toUpperCase()} lead cannot move to ${input.stage.toUpperCase()}`);
  }
  if (input.stage === LeadStage.LOST && !input.lostReason?.trim()) throw badInput('input.lostReason', 'is required when a lead is lost');
  // The claim carries who and when (the history entry) and the stages reached so far: only the
  // claim's winner writes, from the document it read, so `reached` never loses a stage to a race.
  const reached = [...new Set([...(doc.reached ?? [from]), input.stage])];
  const set = { status: input.stage, lostReason: input.stage === LeadStage.LOST ? input.lostReason!.trim() : null, stageBy: by, stageAt: new Date(), reached };
  const moved = await changeStatus<LeadDoc>(leadModel(conn), leadStageClaimModel(conn), doc._id, {
    from: [from],
    set,
    refuse: (current) => conflict(`The lead changed meanwhile: it is now ${current.toUpperCase()}`, 'input.stage'),
    entity: 'Lead',
  });
  // A later field of the same operation reads the new history.
  leadStageClaimsLoader(ctx).clear(doc._id.toHexString());
  return toLead(moved);
}

export async function assignLead(ctx: TenantContext, id: string, ownerId: string): Promise<LeadView> {
  const doc = await leadDoc(ctx, id);
  await assertPlatformUser(ctx, ownerId, 'ownerId');
  if (doc.ownerId === ownerId) return toLead(doc);
  const updated = await leadModel(platform(ctx)).findByIdAndUpdate(doc._id, { $set: { ownerId } }, { returnDocument: 'after' }).lean<LeadDoc>();
  return toLead(updated!);
}

export async function addLeadNote(ctx: TenantContext, id: string, text: string): Promise<LeadView> {
  const by = caller(ctx);
  const doc = await leadDoc(ctx, id);
  await leadNoteModel(platform(ctx)).create({ leadId: doc._id, by, text: text.trim(), at: new Date() });
  leadNotesLoader(ctx).clear(doc._id.toHexString());
  // Touches updatedAt: a note is activity on the lead.
  const updated = await leadModel(platform(ctx))
    .findByIdAndUpdate(doc._id, { $set: { updatedAt: new Date() } }, { returnDocument: 'after', timestamps: false })
    .lean<LeadDoc>();
  return toLead(updated!);
}

/** The lead's notes, oldest first (batched over a page of leads). */
export function leadNotes(ctx: TenantContext, leadId: string) {
  return leadNotesLoader(ctx).load(leadId);
}

export async function getLead(ctx: TenantContext, id: string): Promise<LeadView | null> {
  const doc = await leadModel(platform(ctx)).findById(parseId(id, 'id')).lean<LeadDoc>();
  return doc ? toLead(doc) : null;
}

function leadQuery(filter: LeadFilter | undefined): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter?.stage) query.status = filter.stage;
  if (filter?.ownerId) query.ownerId = filter.ownerId;
  if (filter?.source) query.source = filter.source;
  if (filter?.city) query.cityKey = filter.city.trim().toLowerCase();
  return query;
}

/** One page, newest first; `after` is the last lead's cursor of the previous page. */
export async function listLeads(ctx: TenantContext, filter: LeadFilter | undefined, after: string | undefined, first: number) {
  const query = leadQuery(filter);
  if (after) query._id = trusted({ $lt: decodeCursor(after) });
  const docs = await leadModel(platform(ctx))
    .find(query)
    .sort({ _id: -1 })
    .limit(first + 1)
    .lean<LeadDoc[]>();
  const leads = docs.slice(0, first).map(toLead);
  return { leads, nextCursor: docs.length > first ? leads[leads.length - 1].cursor : null };
}

/** The kanban: per stage, how many leads and the newest `first` of them. */
export async function leadBoard(ctx: TenantContext, filter: LeadFilter | undefined, first: number) {
  const Leads = leadModel(platform(ctx));
  const base = leadQuery({ ...filter, stage: null });
  return Promise.all(
    BOARD_STAGES.filter((stage) => !filter?.stage || filter.stage === stage).map(async (stage) => {
      const query = { ...base, status: stage };
      const [count, docs] = await Promise.all([Leads.countDocuments(query), Leads.find(query).sort({ _id: -1 }).limit(first).lean<LeadDoc[]>()]);
      return { stage, count, leads: docs.map(toLead) };
    }),
  );
}
