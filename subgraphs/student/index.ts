import { loadServiceEnv, type ServiceConfig } from '../../core/config';
import { filesSweepIntervalMs, storageConfig, type StorageConfig } from '../../core/storage/config';
import { useFileSweep } from '../../core/storage/sweep';
import { useObjectStore } from '../../core/storage/object-store';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { quotaSlotSchema } from '../../core/tenancy/quota';
import { attendanceSchema } from './attendance.model';
import { AttendanceResolver } from './attendance.resolver';
import { AttendanceStatsResolver } from './attendance-stats.resolver';
import { ChurnResolver } from './churn.resolver';
import { startReferralConsumer } from './referral.events';
import { referralCodeSchema, referralRewardSchema, referralSchema } from './referral.model';
import { ReferralResolver } from './referral.resolver';
import { studentSettingsSchema } from './settings.model';
import { StudentSettingsResolver } from './settings.resolver';
import { bookingSchema } from './booking.model';
import { seatClaimSchema } from './claim.model';
import { BookingResolver } from './booking.resolver';
import { LibraryResolver, resolveLibraryReference } from './library.resolver';
import { OccupancySubscriptionResolver } from './occupancy.resolver';
import { seatSchema } from './seat.model';
import { SeatResolver } from './seat.resolver';
import { shiftSchema } from './shift.model';
import { LibraryShiftsResolver, ShiftResolver } from './shift.resolver';
import { resolveShiftReference } from './shift.service';
import { studentRoutes } from './routes';
import { StudentDocumentResolver } from './documents/document.resolver';
import { StudentImportResolver } from './student-import.resolver';
import { studentKeySchema } from './student-key.model';
import { studentSchema } from './student.model';
import { resolveStudentReference, StudentResolver } from './student.resolver';
import { studentSubgraphModules, studentSubgraphRules } from './rules';
import { DOMAIN_CONSUMERS } from '../events';
import type { StudentServices } from './context';
import { ticketCommentSchema } from './tickets/ticket-comment.model';
import { ticketCounterSchema, ticketSchema, ticketStatusClaimSchema } from './tickets/ticket.model';
import { TicketResolver } from './tickets/ticket.resolver';
import { TicketCommentFileResolver, TicketFileResolver } from './tickets/ticket-file.resolver';
import { TICKET_FILES, ticketFileSchema } from './tickets/ticket-file.model';
import { TicketReportResolver } from './tickets/ticket-report.resolver';
import { ticketSettingsSchema, ticketSlaBreachSchema } from './tickets/ticket-sla.model';
import { startTicketSlaJob } from './tickets/ticket-sla.job';
import { TICKET_SLA_DUE_COLLECTION } from './tickets/ticket-sla-due.service';
import { dueMarksSchema } from '../../core/jobs/due-marks';
import { IdProofResolver } from './id-proof.resolver';
import { StudentFileResolver } from './student-file.resolver';
import { STUDENT_FILES, studentFileSchema } from './student-file.model';
import { studentEnv } from './student.env';
import { analyticsRollupSchema, analyticsStateSchema } from './analytics/analytics.model';
import { StudentAnalyticsResolver } from './analytics/analytics.resolver';
import { startAnalyticsBuilt } from './analytics/analytics-rebuild.service';

export const name = 'student' as const;

/** Collections the student subgraph keeps in every tenant database. */
/** A new tenant's analytics rollups start built (empty): see analytics-rebuild.service.ts. */
export const onProvision = startAnalyticsBuilt;

export const tenantSchemas = {
  Student: studentSchema,
  Booking: bookingSchema,
  Attendance: attendanceSchema,
  StudentQuota: quotaSlotSchema('student_quotas'),
  Seat: seatSchema,
  SeatClaim: seatClaimSchema,
  Shift: shiftSchema,
  StudentKey: studentKeySchema,
  StudentSettings: studentSettingsSchema,
  ReferralCode: referralCodeSchema,
  Referral: referralSchema,
  ReferralReward: referralRewardSchema,
  Ticket: ticketSchema,
  TicketCounter: ticketCounterSchema,
  TicketStatusClaim: ticketStatusClaimSchema,
  TicketComment: ticketCommentSchema,
  TicketSlaBreach: ticketSlaBreachSchema,
  TicketSettings: ticketSettingsSchema,
  TicketFile: ticketFileSchema,
  StudentFile: studentFileSchema,
  AnalyticsRollup: analyticsRollupSchema,
  AnalyticsState: analyticsStateSchema,
};

/** Variables this subgraph reads besides loadConfig's (tests/compose.test.ts): object storage. */
export const ENV_VARS: readonly string[] = Object.keys(studentEnv);

/** The domain events it emits (with their payloads) and the consumers it runs (./events.ts). */
export { studentEvents as events } from './events';

/** Subscription fields the gateway serves for this subgraph (./subscriptions.ts). */
export { studentSubscriptions as subscriptions } from './subscriptions';

export const definition: SubgraphDefinition = {
  rules: studentSubgraphRules,
  modules: studentSubgraphModules,
  resolvers: [
    StudentResolver,
    BookingResolver,
    AttendanceResolver,
    LibraryResolver,
    OccupancySubscriptionResolver,
    SeatResolver,
    StudentImportResolver,
    AttendanceStatsResolver,
    ChurnResolver,
    ReferralResolver,
    StudentSettingsResolver,
    ShiftResolver,
    LibraryShiftsResolver,
    TicketResolver,
    TicketReportResolver,
    TicketFileResolver,
    TicketCommentFileResolver,
    StudentFileResolver,
    IdProofResolver,
    StudentAnalyticsResolver,
    StudentDocumentResolver,
  ],
  references: { Student: resolveStudentReference, Library: resolveLibraryReference, Shift: resolveShiftReference },
};

/** The rules its shield is built from (./rules.ts). */
export const rules = definition.rules;

/** No platform-level collections. */
export const platformSchemas = { TicketSlaDueMark: dueMarksSchema(TICKET_SLA_DUE_COLLECTION) };

/** Minutes between two runs of the ticket SLA check. */
const TICKET_SLA_INTERVAL_MS = 60_000;

export interface StudentRuntime extends SubgraphRuntime {
  /** The clock of ticket SLAs and reports (tests move it). */
  now?: () => Date;
  /** Between two SLA checks (0: only runTicketSlaCheck); default one minute. */
  ticketSlaIntervalMs?: number;
  /** Object storage; default from S3_* (core/storage/config.ts), null = off (uploads answer STORAGE_NOT_CONFIGURED). */
  storage?: StorageConfig | null;
}

export function createServer(config: ServiceConfig, db?: DbManager, opts: StudentRuntime = {}) {
  loadServiceEnv(studentEnv);
  const slaEvery = opts.ticketSlaIntervalMs ?? TICKET_SLA_INTERVAL_MS;
  const settings = opts.storage === undefined ? storageConfig() : opts.storage;
  const storage = settings ? useObjectStore(settings) : null;
  return startSubgraphServer<StudentServices>({
    name,
    services: { storage, ...(opts.now ? { clock: opts.now } : {}) },
    consumers: DOMAIN_CONSUMERS,
    config,
    db,
    pubsub: opts.pubsub,
    definition,
    tenantSchemas,
    onProvision,
    platformSchemas,
    routes: studentRoutes,
    // Referral conversions follow billing's payment.recorded events; the ticket SLA check runs every minute.
    onStart: async (deps) => {
      const stopReferrals = startReferralConsumer(deps);
      const stopSla = slaEvery > 0 ? startTicketSlaJob(deps, slaEvery) : undefined;
      // Uploads never confirmed: object and record go after the confirm window.
      const sweeps = storage ? [STUDENT_FILES, TICKET_FILES].map((files) => useFileSweep(deps, storage, files, filesSweepIntervalMs())) : [];
      return async () => {
        await stopSla?.();
        await stopReferrals();
        for (const stop of sweeps) await stop();
        storage?.close();
      };
    },
  });
}
