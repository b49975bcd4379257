import { randomUUID } from 'node:crypto';
import type { Connection, Types } from 'mongoose';
import { badInput, conflict, forbidden, notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { PARTNER_ROLE } from '../../../core/permissions/catalog';
import { assertLibraryInScope, inLibraryScope, libraryQuery, libraryScopeFilter } from '../../../core/scope/library-scope';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { changeStatus } from '../../../core/tenancy/status-claims';
import { ticketSlaMarks } from './ticket-sla-due.service';
import { nowOf, type StudentContext } from '../context';
import { studentModel, type StudentDoc } from '../student.model';
import { getLibrary } from '../tenant.client';
import { tenantStaff, worksAt } from './staff.client';
import type { MoveTicketInput, RaiseTicketInput, TicketFilter } from './ticket.input';
import { formatTicketNumber, ticketCounterModel, ticketModel, ticketStatusClaimModel, TicketStatus, type TicketActor, type TicketDoc } from './ticket.model';
import { outletOf, ticketChanged } from './ticket-notify.service';
import { recordLateClocks, slaTargets } from './ticket-sla.service';
import { checkAttachments } from './ticket-file.service';

const MINUTE_MS = 60_000;
/** Retries when a number was taken meanwhile (FerretDB may hand one out twice; the unique index refuses it). */
const NUMBER_ATTEMPTS = 5;

/** The status flow: where each status may move to (RESOLVED/CLOSED → OPEN reopens). */
const MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  [TicketStatus.OPEN]: [TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED],
  [TicketStatus.IN_PROGRESS]: [TicketStatus.RESOLVED],
  [TicketStatus.RESOLVED]: [TicketStatus.CLOSED, TicketStatus.OPEN],
  [TicketStatus.CLOSED]: [TicketStatus.OPEN],
};

export const isPartner = (ctx: StudentContext) => ctx.auth?.role === PARTNER_ROLE;

/** Who acts: a staff user, or the student app through a partner key. */
export const actorOf = (ctx: StudentContext): TicketActor => ({ kind: isPartner(ctx) ? 'partner' : 'staff', id: ctx.auth?.sub ?? 'unknown' });

/** Status moves and assignment are staff work; the student app raises and comments only. */
function assertStaff(ctx: StudentContext): void {
  if (isPartner(ctx)) throw forbidden('Only staff can do this');
}

export const toTicket = (d: TicketDoc) => ({
  id: d._id.toHexString(),
  number: formatTicketNumber(d.number),
  libraryId: d.libraryId.toHexString(),
  studentId: d.studentId ? d.studentId.toHexString() : null,
  title: d.title,
  description: d.description,
  category: d.category,
  priority: d.priority,
  status: d.status,
  assignedTo: d.assignedTo ?? null,
  resolution: d.resolution ?? null,
  resolvedAt: d.resolvedAt ?? null,
  closedAt: d.closedAt ?? null,
  reopenCount: d.reopenCount ?? 0,
  firstResponseAt: d.firstResponseAt ?? null,
  firstResponseDueAt: d.firstResponseDueAt,
  resolutionDueAt: d.resolutionDueAt,
  breaches: d.breaches ?? [],
  attachments: d.attachments ?? [],
  raisedBy: d.raisedBy.kind === 'partner' ? 'STUDENT_APP' : 'STAFF',
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
export type TicketView = ReturnType<typeof toTicket>;

/** The next number of the tenant: one document, one atomic `$inc` upsert (a racing first upsert may fail with E11000: retried). */
async function nextNumber(conn: Connection): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const c = await ticketCounterModel(conn)
        .findOneAndUpdate({ _id: 'ticket' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })
        .lean();
      return c!.seq;
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= NUMBER_ATTEMPTS) throw err;
    }
  }
}

/** The library a new ticket belongs to: the student's (which must exist), or the one given. */
async function ticketLibrary(ctx: StudentContext, input: RaiseTicketInput): Promise<{ libraryId: Types.ObjectId; studentId: Types.ObjectId | null }> {
  if (input.studentId) {
    const studentId = parseId(input.studentId, 'input.studentId');
    const student = await studentModel(await ctx.tenantDb())
      .findById(studentId, { libraryId: 1 })
      .lean<StudentDoc>();
    if (!student) throw notFound('Student');
    if (input.libraryId && input.libraryId !== student.libraryId.toHexString()) {
      throw badInput('input.libraryId', "is not the student's library");
    }
    assertLibraryInScope(ctx, student.libraryId);
    return { libraryId: student.libraryId, studentId };
  }
  if (isPartner(ctx)) throw badInput('input.studentId', 'the student app raises tickets for a student');
  const libraryId = parseId(input.libraryId!, 'input.libraryId');
  assertLibraryInScope(ctx, libraryId);
  await getLibrary(ctx, libraryId.toHexString());
  return { libraryId, studentId: null };
}

export async function raiseTicket(ctx: StudentContext, input: RaiseTicketInput): Promise<TicketView> {
  const conn = await ctx.tenantDb();
  const { libraryId, studentId } = await ticketLibrary(ctx, input);
  const attachments = await checkAttachments(ctx, libraryId.toHexString(), input.attachments, 'input.attachments');
  const target = (await slaTargets(conn)).find((t) => t.priority === input.priority)!;
  const now = nowOf(ctx);
  const base = {
    libraryId,
    studentId,
    title: input.title.trim(),
    description: input.description.trim(),
    category: input.category,
    priority: input.priority,
    status: TicketStatus.OPEN,
    statusSeq: 0,
    reopenCount: 0,
    firstResponseDueAt: new Date(now.getTime() + target.firstResponseMinutes * MINUTE_MS),
    resolutionDueAt: new Date(now.getTime() + target.resolutionMinutes * MINUTE_MS),
    breaches: [],
    attachments,
    raisedBy: actorOf(ctx),
    createdAt: now,
    updatedAt: now,
  };
  for (let attempt = 0; ; attempt++) {
    const number = await nextNumber(conn);
    try {
      // Without automatic timestamps: createdAt is the SLA clock's start (the test clock when set).
      const Tickets = ticketModel(conn);
      const saved = (await new Tickets({ ...base, number }).save({ timestamps: false })).toObject<TicketDoc>();
      // Its first clock (the earlier one) runs out then: the SLA job visits this tenant at that time.
      await ticketSlaMarks(ctx).mark((await ctx.tenant())._id.toHexString(), saved.firstResponseDueAt);
      await ticketChanged(await outletOf(ctx), saved, 'created', 'created');
      return toTicket(saved);
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= NUMBER_ATTEMPTS) throw err;
    }
  }
}

/** A ticket the caller may see (branch scope), or NOT_FOUND: another branch's tickets do not exist for it. */
export async function ticketFor(ctx: StudentContext, id: string, field = 'id'): Promise<TicketDoc> {
  const doc = await ticketModel(await ctx.tenantDb())
    .findById(parseId(id, field))
    .lean<TicketDoc>();
  if (!doc || !inLibraryScope(ctx, doc.libraryId)) throw notFound('Ticket');
  return doc;
}

export async function getTicket(ctx: StudentContext, id: string): Promise<TicketView | null> {
  const doc = await ticketModel(await ctx.tenantDb())
    .findOne({ _id: parseId(id, 'id'), ...libraryScopeFilter(ctx, 'libraryId', (l) => parseId(l, 'libraryId')) })
    .lean<TicketDoc>();
  return doc ? toTicket(doc) : null;
}

export async function listTickets(ctx: StudentContext, filter: TicketFilter = {}, first: number): Promise<TicketView[]> {
  const query: Record<string, unknown> = {
    ...libraryQuery(ctx, filter.libraryId ? parseId(filter.libraryId, 'filter.libraryId') : null, 'libraryId', (l) => parseId(l, 'libraryId')),
  };
  if (filter.studentId) query.studentId = parseId(filter.studentId, 'filter.studentId');
  if (filter.status) query.status = filter.status;
  if (filter.priority) query.priority = filter.priority;
  if (filter.assignedTo) query.assignedTo = filter.assignedTo;
  const docs = await ticketModel(await ctx.tenantDb())
    .find(query)
    .sort({ _id: -1 })
    .limit(first)
    .lean<TicketDoc[]>();
  return docs.map(toTicket);
}

/** One student's tickets (the student app follows its own student's tickets). */
export async function studentTickets(ctx: StudentContext, studentId: string, first: number): Promise<TicketView[]> {
  return listTickets(ctx, { studentId }, first);
}

/** Records the first response (first public comment or status move by staff) once. */
export async function markFirstResponse(conn: Connection, t: TicketDoc, at: Date): Promise<void> {
  if (t.firstResponseAt) return;
  await ticketModel(conn).updateOne({ _id: t._id, firstResponseAt: null }, { $set: { firstResponseAt: at } });
}

/**
 * One step of the status flow. A move the flow does not allow is BAD_USER_INPUT; a move
 * that lost a race (the ticket moved meanwhile, or is already where it should go) is CONFLICT: status claims let exactly one
 * of several concurrent moves from the same status win, without transactions.
 */
export async function moveTicket(ctx: StudentContext, input: MoveTicketInput): Promise<TicketView> {
  assertStaff(ctx);
  const conn = await ctx.tenantDb();
  const doc = await ticketFor(ctx, input.id);
  const from = doc.status;
  // The status the caller saw, or a move to where the ticket already is (a double submit, two
  // staff at once): both mean it moved meanwhile, a lost race like checking in twice.
  if (input.from && input.from !== from) throw conflict(`The ticket changed meanwhile: it is now ${from.toUpperCase()}`, 'input.from');
  if (input.status === from) throw conflict(`The ticket is already ${from.toUpperCase()}`, 'input.status');
  if (!MOVES[from].includes(input.status)) {
    throw badInput('input.status', `a ${from.toUpperCase()} ticket cannot move to ${input.status.toUpperCase()}`);
  }
  const now = nowOf(ctx);
  const set: Record<string, unknown> & { status: string } = { status: input.status };
  if (input.status === TicketStatus.RESOLVED) Object.assign(set, { resolution: input.resolution!.trim(), resolvedAt: now });
  if (input.status === TicketStatus.CLOSED) set.closedAt = now;
  if (input.status === TicketStatus.OPEN) Object.assign(set, { resolvedAt: null, closedAt: null, resolution: null, reopenCount: (doc.reopenCount ?? 0) + 1 });
  const moved = await changeStatus<TicketDoc>(ticketModel(conn), ticketStatusClaimModel(conn), doc._id, {
    from: [from],
    set,
    refuse: (current) => conflict(`The ticket changed meanwhile: it is now ${current.toUpperCase()}`, 'input.status'),
    entity: 'Ticket',
  });
  await recordLateClocks(ctx, { ...moved, firstResponseAt: doc.firstResponseAt }, { firstResponse: true, resolution: input.status === TicketStatus.RESOLVED });
  // Reopened: its resolution clock runs again (and may have run out already).
  if (input.status === TicketStatus.OPEN) await ticketSlaMarks(ctx).mark((await ctx.tenant())._id.toHexString(), moved.resolutionDueAt);
  await markFirstResponse(conn, doc, now);
  await ticketChanged(await outletOf(ctx), moved, 'status', `status:${moved.statusSeq}`);
  return toTicket((await ticketModel(conn).findById(doc._id).lean<TicketDoc>())!);
}

/** Gives the ticket to an active staff user of its library (null: unassigns). */
export async function assignTicket(ctx: StudentContext, id: string, userId: string | null | undefined): Promise<TicketView> {
  assertStaff(ctx);
  const conn = await ctx.tenantDb();
  const doc = await ticketFor(ctx, id);
  const libraryId = doc.libraryId.toHexString();
  if (userId) {
    const user = (await tenantStaff(ctx)).find((u) => u.id === userId);
    if (!user || !worksAt(user, libraryId)) throw badInput('userId', "is not an active staff member of the ticket's library");
  }
  const assignee = userId || null;
  if ((doc.assignedTo ?? null) === assignee) return toTicket(doc);
  const updated = (await ticketModel(conn)
    .findByIdAndUpdate(doc._id, { $set: { assignedTo: assignee } }, { returnDocument: 'after' })
    .lean<TicketDoc>())!;
  const eventId = randomUUID();
  if (assignee) {
    const tenantId = (await ctx.tenant())._id.toHexString();
    await ctx.emit('ticket.assigned', { tenantId, eventId, ticketId: id, number: formatTicketNumber(doc.number), libraryId, assigneeId: assignee }, eventId);
  }
  await ticketChanged(await outletOf(ctx), updated, 'assigned', `assigned:${eventId}`);
  return toTicket(updated);
}
