import { trusted, type Connection } from 'mongoose';
import { badInput, forbidden } from '../../../core/errors';
import { libraryScope } from '../../../core/scope/library-scope';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { nowOf, type StudentContext } from '../context';
import { breachRecipients, tenantStaff, type StaffMember } from './staff.client';
import type { TicketSlaTargetInput } from './ticket.input';
import { formatTicketNumber, ticketModel, TicketPriority, TicketSlaKind, TicketStatus, type TicketDoc } from './ticket.model';
import { outletOf, ticketChanged, type TicketOutlet } from './ticket-notify.service';
import { ticketSettingsModel, ticketSlaBreachModel, type SlaTarget, type TicketSettingsDoc } from './ticket-sla.model';

const HOUR = 60;

/** Defaults per priority (wall-clock minutes from the ticket's creation); a tenant overrides them with setTicketSlaTargets. */
export const DEFAULT_SLA: readonly SlaTarget[] = [
  { priority: TicketPriority.CRITICAL, firstResponseMinutes: 1 * HOUR, resolutionMinutes: 4 * HOUR },
  { priority: TicketPriority.HIGH, firstResponseMinutes: 4 * HOUR, resolutionMinutes: 24 * HOUR },
  { priority: TicketPriority.MEDIUM, firstResponseMinutes: 8 * HOUR, resolutionMinutes: 48 * HOUR },
  { priority: TicketPriority.LOW, firstResponseMinutes: 24 * HOUR, resolutionMinutes: 72 * HOUR },
];

/** Tickets handled per clock and run: a backlog larger than this is taken over the next runs. */
const CHECK_BATCH = 500;

/** The tenant's targets: its overrides over the defaults, one per priority. */
export async function slaTargets(conn: Connection): Promise<SlaTarget[]> {
  const doc = await ticketSettingsModel(conn).findById('sla').lean<TicketSettingsDoc>();
  return DEFAULT_SLA.map((d) => {
    const o = doc?.targets.find((t) => t.priority === d.priority);
    return o ? { priority: d.priority, firstResponseMinutes: o.firstResponseMinutes, resolutionMinutes: o.resolutionMinutes } : { ...d };
  });
}

export async function ticketSlaSettings(ctx: StudentContext) {
  return { targets: await slaTargets(await ctx.tenantDb()) };
}

/** Tenant-wide targets: a branch-scoped manager may not set them. Priorities not given keep their current targets. */
export async function setTicketSlaTargets(ctx: StudentContext, targets: TicketSlaTargetInput[]) {
  if (libraryScope(ctx)) throw forbidden('SLA targets are tenant-wide: only a user without a branch scope may change them');
  const priorities = targets.map((t) => t.priority);
  if (new Set(priorities).size !== priorities.length) throw badInput('targets', 'name each priority once');
  if (!targets.length) throw badInput('targets', 'give at least one priority');
  const conn = await ctx.tenantDb();
  const current = await slaTargets(conn);
  const merged = current.map((c) => targets.find((t) => t.priority === c.priority) ?? c);
  await ticketSettingsModel(conn).updateOne(
    { _id: 'sla' },
    { $set: { targets: merged.map((t) => ({ priority: t.priority, firstResponseMinutes: t.firstResponseMinutes, resolutionMinutes: t.resolutionMinutes })) } },
    { upsert: true },
  );
  return { targets: merged };
}

/** What one SLA check of a tenant needs: its database, the time, its staff (asked once, only if something breached) and its outlet. */
export interface SlaRun {
  conn: Connection;
  now: Date;
  staff(): Promise<StaffMember[]>;
  out: TicketOutlet;
}

const CLOCKS = [
  {
    kind: TicketSlaKind.FIRST_RESPONSE,
    // No response yet (any status move is one, so such a ticket is still OPEN).
    filter: (now: Date) => ({ firstResponseAt: null, firstResponseDueAt: trusted({ $lte: now }) }),
    dueAt: (t: TicketDoc) => t.firstResponseDueAt,
  },
  {
    kind: TicketSlaKind.RESOLUTION,
    filter: (now: Date) => ({ status: trusted({ $in: [TicketStatus.OPEN, TicketStatus.IN_PROGRESS] }), resolutionDueAt: trusted({ $lte: now }) }),
    dueAt: (t: TicketDoc) => t.resolutionDueAt,
  },
];

/**
 * Records one SLA clock of a ticket as breached, once: the breach `<ticketId>:<kind>` is a
 * unique insert, so a second run (or another instance at the same time) finds it taken and
 * does nothing (false). The winner notifies (domain event `ticket.slaBreached`: the assignee
 * and the library's managers) and announces `ticket.updated`; if that fails, the breach is
 * removed again so the next run retries.
 */
export async function recordBreach(run: SlaRun, t: TicketDoc, kind: TicketSlaKind, dueAt: Date, staff: () => Promise<StaffMember[]>): Promise<boolean> {
  const Breaches = ticketSlaBreachModel(run.conn);
  const breachId = `${t._id.toHexString()}:${kind}`;
  try {
    await Breaches.create({ _id: breachId, ticketId: t._id, number: t.number, libraryId: t.libraryId, kind, priority: t.priority, dueAt, detectedAt: run.now });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  try {
    const libraryId = t.libraryId.toHexString();
    await run.out.emit(
      'ticket.slaBreached',
      {
        tenantId: run.out.tenantId,
        breachId,
        ticketId: t._id.toHexString(),
        number: formatTicketNumber(t.number),
        libraryId,
        kind,
        priority: t.priority,
        userIds: breachRecipients(await staff(), libraryId, t.assignedTo),
      },
      breachId,
    );
    await ticketModel(run.conn).updateOne({ _id: t._id }, { $addToSet: { breaches: kind } });
    await ticketChanged(run.out, { ...t, breaches: [...(t.breaches ?? []), kind] }, 'sla_breached', `sla:${kind}`);
  } catch (err) {
    await Breaches.deleteOne({ _id: breachId });
    throw err;
  }
  return true;
}

/** The tenant's staff, asked once per run and only when something breached. */
const onceStaff = (run: SlaRun) => {
  let staff: Promise<StaffMember[]> | null = null;
  return () => (staff ??= run.staff());
};

/** Every SLA clock past due (open clocks only), each recorded once (recordBreach). Returns how many this run recorded. */
export async function checkSla(run: SlaRun): Promise<number> {
  const staff = onceStaff(run);
  let recorded = 0;
  for (const clock of CLOCKS) {
    const due = await ticketModel(run.conn)
      .find({ ...clock.filter(run.now), breaches: trusted({ $ne: clock.kind }) })
      .limit(CHECK_BATCH)
      .lean<TicketDoc[]>();
    for (const t of due) if (await recordBreach(run, t, clock.kind, clock.dueAt(t), staff)) recorded++;
  }
  return recorded;
}

/**
 * A clock that stops late (a first response or resolution after its due time) is a breach
 * too, even when no check ran in between: recorded at that moment (once, like the check's).
 */
export async function recordLateClocks(ctx: StudentContext, t: TicketDoc, stops: { firstResponse: boolean; resolution: boolean }): Promise<void> {
  const now = nowOf(ctx);
  const late = [
    { kind: TicketSlaKind.FIRST_RESPONSE, due: t.firstResponseDueAt, stops: stops.firstResponse && !t.firstResponseAt },
    { kind: TicketSlaKind.RESOLUTION, due: t.resolutionDueAt, stops: stops.resolution },
  ].filter((c) => c.stops && now > c.due && !(t.breaches ?? []).includes(c.kind));
  if (!late.length) return;
  const run: SlaRun = { conn: await ctx.tenantDb(), now, staff: () => tenantStaff(ctx), out: await outletOf(ctx) };
  const staff = onceStaff(run);
  for (const c of late) await recordBreach(run, t, c.kind, c.due, staff);
}

/** runTicketSlaCheck: the check of the caller's tenant, now. */
export async function runTicketSlaCheck(ctx: StudentContext) {
  const recorded = await checkSla({ conn: await ctx.tenantDb(), now: nowOf(ctx), staff: () => tenantStaff(ctx), out: await outletOf(ctx) });
  return { recorded };
}
